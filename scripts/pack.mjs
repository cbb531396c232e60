// `npm run pack:tarball [-- --no-build] [-- --destination <dir>]`: build, then npm pack; prints the tarball path.
import { parseArgs } from 'node:util';
import pack from './lib/pack.js';

const { values } = parseArgs({
	options: {
		'no-build': { type: 'boolean', default: false },
		destination: { type: 'string', default: pack.projectRoot },
	},
});
console.log(pack.packTarball({ destination: values.destination, build: !values['no-build'] }));
