/**
 * A local SMTP server that accepts every message and keeps it, for the alert templates' Send Email
 * steps: just enough of RFC 5321 for nodemailer (EHLO, AUTH PLAIN/LOGIN, MAIL, RCPT, DATA, QUIT), no TLS.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SunkMail {
	from: string;
	to: string[];
	/** The raw message: headers, blank line, body (dot-stuffing undone). */
	data: string;
	/** Decoded Subject header. */
	subject: string;
	/** `data` with quoted-printable undone (soft line breaks, =XX escapes), to search the text as written. */
	readable: string;
}

function quotedPrintableDecoded(data: string): string {
	const bytes = data.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	return Buffer.from(bytes, 'latin1').toString('utf8');
}

export interface SmtpSink {
	port: number;
	mails: SunkMail[];
	close(): Promise<void>;
}

/** The Subject header, unfolded, with RFC 2047 encoded words (nodemailer's for non-ASCII) decoded. */
function subjectOf(data: string): string {
	const headers = data.split(/\r\n\r\n/)[0].replace(/\r\n[ \t]+/g, ' ');
	const raw = /^Subject: (.*)$/im.exec(headers)?.[1] ?? '';
	return raw.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_, encoding: string, text: string) =>
		encoding.toLowerCase() === 'b'
			? Buffer.from(text, 'base64').toString('utf8')
			: Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9a-f]{2})/gi, (__, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8'),
	);
}

export async function startSmtpSink(): Promise<SmtpSink> {
	const mails: SunkMail[] = [];
	const server = net.createServer((socket) => {
		let buffer = '';
		let mail: { from: string; to: string[] } = { from: '', to: [] };
		let mode: 'command' | 'data' | 'auth-user' | 'auth-pass' = 'command';
		const reply = (line: string) => socket.write(`${line}\r\n`);
		reply('220 sink.local ESMTP ready');
		socket.on('data', (chunk: Buffer) => {
			buffer += chunk.toString('utf8');
			for (;;) {
				if (mode === 'data') {
					const end = buffer.indexOf('\r\n.\r\n');
					if (end < 0) return;
					const data = buffer.slice(0, end).replace(/^\.\./gm, '.');
					buffer = buffer.slice(end + 5);
					mails.push({ ...mail, data, subject: subjectOf(data), readable: quotedPrintableDecoded(data) });
					mail = { from: '', to: [] };
					mode = 'command';
					reply('250 2.0.0 queued');
					continue;
				}
				const newline = buffer.indexOf('\r\n');
				if (newline < 0) return;
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 2);
				if (mode === 'auth-user') {
					mode = 'auth-pass';
					reply('334 UGFzc3dvcmQ6');
					continue;
				}
				if (mode === 'auth-pass') {
					mode = 'command';
					reply('235 2.7.0 accepted');
					continue;
				}
				const verb = line.slice(0, 4).toUpperCase();
				if (verb === 'EHLO') socket.write('250-sink.local\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
				else if (verb === 'HELO') reply('250 sink.local');
				else if (verb === 'AUTH') {
					if (/^AUTH LOGIN/i.test(line)) {
						mode = 'auth-user';
						reply('334 VXNlcm5hbWU6');
					} else reply('235 2.7.0 accepted');
				} else if (verb === 'MAIL') {
					mail.from = /<([^>]*)>/.exec(line)?.[1] ?? '';
					reply('250 2.1.0 ok');
				} else if (verb === 'RCPT') {
					mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
					reply('250 2.1.5 ok');
				} else if (verb === 'DATA') {
					mode = 'data';
					reply('354 end with <CRLF>.<CRLF>');
				} else if (verb === 'RSET') {
					mail = { from: '', to: [] };
					reply('250 ok');
				} else if (verb === 'QUIT') {
					reply('221 bye');
					socket.end();
				} else reply('250 ok');
			}
		});
		socket.on('error', () => undefined);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		port: (server.address() as AddressInfo).port,
		mails,
		close: () => new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
