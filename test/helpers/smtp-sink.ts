// A real SMTP server (smtp-server on 127.0.0.1, a free port) that keeps what it receives, and a
// small reader for the messages (headers, text part, the code in it). For the tests that send
// email codes through Tollgate's SMTP mailer and read them back.
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: string;
}

export interface SmtpSink {
  port: number;
  received: ReceivedMail[];
  /** Addresses the server refuses at RCPT TO (550). */
  refuse: Set<string>;
  /** The newest mail to an address (waits briefly: delivery finishes after the API answered). */
  lastTo(address: string): Promise<ReceivedMail | undefined>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  const refuse = new Set<string>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true, // no DNS on a loopback test
    onRcptTo(address, _session, callback) {
      if (refuse.has(address.address)) return callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    refuse,
    async lastTo(address) {
      for (let i = 0; i < 50; i++) {
        const found = received.filter((m) => m.to.includes(address)).at(-1);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 20));
      }
      return undefined;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function decodeQp(text: string): string {
  return Buffer.from(
    text.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');
}

/** A header of the top-level message (folded lines joined; encoded words left as they are). */
export function mailHeader(raw: string, name: string): string | undefined {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line?.slice(name.length + 1).trim();
}

/** The decoded text/plain part of a nodemailer message (multipart/alternative or single part). */
export function mailText(raw: string): string {
  const sections = raw.split(/\r\n--[^\r\n]+\r\n/);
  for (const section of sections) {
    const split = section.indexOf('\r\n\r\n');
    const head = section.slice(0, split).toLowerCase();
    if (!/content-type:\s*text\/plain/.test(head)) continue;
    const body = section.slice(split + 4).replace(/\r\n--[^\r\n]*--\s*$/, '');
    if (/content-transfer-encoding:\s*quoted-printable/.test(head)) return decodeQp(body);
    if (/content-transfer-encoding:\s*base64/.test(head)) return Buffer.from(body, 'base64').toString('utf8');
    return body;
  }
  return '';
}

/** The code of a code email: the indented line of digits in the text part. */
export function mailCode(raw: string): string | null {
  return /^ {4}(\d{4,10})\s*$/m.exec(mailText(raw))?.[1] ?? null;
}
