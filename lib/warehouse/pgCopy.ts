/**
 * `COPY ... FROM STDIN` as a query `pg` runs on one of its connections. COPY text goes to the
 * socket as strings, encoded to bytes once by the socket write itself: turning each chunk into a
 * Buffer first (as pg-copy-streams does) costs about as much again as the write.
 */
import type { Connection, Submittable } from 'pg';
import type { Duplex } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Protocol message type bytes (PostgreSQL frontend/backend protocol, COPY sub-protocol). */
const COPY_DATA = 0x64;
const COPY_FAIL = 0x66;
const COPY_DONE = Buffer.from([0x63, 0, 0, 0, 4]);

/** Ends the COPY without committing anything; the server answers with an error, then is ready again. */
function copyFailMessage(reason: string): Buffer {
	const text = Buffer.from(`${reason}\0`);
	const message = Buffer.allocUnsafe(5 + text.length);
	message[0] = COPY_FAIL;
	message.writeUInt32BE(4 + text.length, 1);
	text.copy(message, 5);
	return message;
}

function copyDataHeader(chunk: string): Buffer {
	const header = Buffer.allocUnsafe(5);
	header[0] = COPY_DATA;
	// The length counts itself (4 bytes) and the chunk's UTF-8 bytes, not its UTF-16 units.
	header.writeUInt32BE(Buffer.byteLength(chunk) + 4, 1);
	return header;
}

/** Resolves when the socket can take more, or is closed (the query's error then says why). */
function writable(socket: Duplex): Promise<void> {
	return new Promise((resolve) => {
		const done = () => {
			socket.off('drain', done);
			socket.off('close', done);
			resolve();
		};
		socket.on('drain', done);
		socket.on('close', done);
	});
}

export class CopyFromStdin implements Submittable {
	/** Settles when the server has committed the COPY (ReadyForQuery) or refused it. */
	readonly done: Promise<void>;
	private resolve!: () => void;
	private reject!: (error: Error) => void;
	private failed = false;

	/**
	 * `chunks` are pulled one at a time, each after the one before is on its way and the event
	 * loop has had a turn, so the server reads rows while the next ones are encoded.
	 */
	constructor(
		private readonly text: string,
		private readonly chunks: Iterable<string>,
	) {
		this.done = new Promise<void>((resolve, reject) => {
			this.resolve = resolve;
			this.reject = reject;
		});
	}

	submit(connection: Connection): void {
		connection.query(this.text);
	}

	/** The server is ready for the data. */
	handleCopyInResponse(connection: Connection): void {
		const socket = connection.stream;
		this.send(socket).catch((error: Error) => {
			// Encoding a row failed: call the COPY off, so the connection serves the next query.
			if (!this.failed) socket.write(copyFailMessage(error.message));
			this.handleError(error);
		});
	}

	private async send(socket: Duplex): Promise<void> {
		for (const chunk of this.chunks) {
			// Refused (a bad value, a stored key) or disconnected: the rest would go nowhere.
			if (this.failed) return;
			socket.write(copyDataHeader(chunk));
			if (socket.write(chunk, 'utf8')) await nextTurn();
			else await writable(socket);
		}
		if (!this.failed) socket.write(COPY_DONE);
	}

	/** COPY's row count: not needed, the batch commits whole or not at all. */
	handleCommandComplete(): void {}

	handleReadyForQuery(): void {
		this.resolve();
	}

	/** The server's ErrorResponse, or the connection's failure. */
	handleError(error: Error): void {
		this.failed = true;
		this.reject(error);
	}
}
