// SmtpMailer against a real SMTP server (smtp-server on 127.0.0.1): headers, both MIME parts,
// UTF-8, pooling, login, and failures mapped to MailError without leaking credentials.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, describe, test } from 'node:test';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { MailError } from '../../src/adapters/mail/mailer.ts';
import { SmtpMailer } from '../../src/adapters/mail/smtp.ts';
import { renderCodeEmail } from '../../src/services/email-otp-messages.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

async function startSink(options: Partial<SMTPServerOptions> = {}) {
  const received: Received[] = [];
  let connections = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true, // no DNS on a loopback test
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
    ...options,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    port,
    received,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// ---- a minimal MIME reader (headers, encoded words, multipart, QP/base64): enough to check ours

interface Part {
  headers: Map<string, string>;
  body: Buffer;
  parts: Part[];
}

function decodeQp(text: string): Buffer {
  const bytes: number[] = [];
  const flat = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < flat.length; i++) {
    if (flat[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(flat.slice(i + 1, i + 3))) {
      bytes.push(parseInt(flat.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(flat[i]!, 'utf8'));
  }
  return Buffer.from(bytes);
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_m, _charset, enc: string, text: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : decodeQp(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

function parseMime(raw: string): Part {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const rest = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (!headers.has(name)) headers.set(name, decodeWords(line.slice(colon + 1).trim()));
  }
  const type = headers.get('content-type') ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (type.startsWith('multipart/') && boundary) {
    const sections = rest.split(`--${boundary}`).slice(1, -1);
    return { headers, body: Buffer.alloc(0), parts: sections.map((s) => parseMime(s.replace(/^\r\n/, ''))) };
  }
  const cte = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  const body = cte === 'quoted-printable' ? decodeQp(rest) : cte === 'base64' ? Buffer.from(rest, 'base64') : Buffer.from(rest, 'utf8');
  return { headers, body, parts: [] };
}

function leaves(part: Part): Part[] {
  return part.parts.length === 0 ? [part] : part.parts.flatMap(leaves);
}

function mail(locale: string, code: string) {
  return { to: 'jane@example.com', locale, code, sessionId: 's-1', ...renderCodeEmail({ locale, code, appName: 'Boutique Élise', ttlMinutes: 10 }) };
}

describe('SmtpMailer (real SMTP server)', () => {
  // Pooled connections stay open: close the mailers before the sink, or its close() waits them out.
  const mailers: SmtpMailer[] = [];
  const closeMailers = async () => {
    for (const m of mailers.splice(0)) await m.close();
  };
  after(closeMailers);
  const mailerFor = (port: number, extra: Partial<ConstructorParameters<typeof SmtpMailer>[0]> = {}) => {
    const m = new SmtpMailer({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, from: 'Tollgate <no-reply@tollgate.test>', timeoutMs: 5000, ...extra });
    mailers.push(m);
    return m;
  };

  test('delivers headers, a text and an HTML part, UTF-8 intact, over one pooled connection', async () => {
    const sink = await startSink();
    try {
      const mailer = mailerFor(sink.port);
      const result = await mailer.send(mail('fr', '481516'));
      assert.equal(result.provider, 'smtp');
      assert.match(result.messageId, /^<.+@.+>$/);
      await mailer.send(mail('en', '234234'));
      await mailer.send(mail('it', '345345'));
      assert.equal(sink.received.length, 3);
      assert.equal(sink.connections(), 1, 'the pool reuses its connection');

      const [fr] = sink.received as [Received];
      assert.equal(fr.from, 'no-reply@tollgate.test');
      assert.deepEqual(fr.to, ['jane@example.com']);
      const msg = parseMime(fr.raw);
      assert.equal(msg.headers.get('to'), 'jane@example.com');
      assert.equal(msg.headers.get('from'), 'Tollgate <no-reply@tollgate.test>');
      assert.equal(msg.headers.get('subject'), 'Votre code de vérification Boutique Élise');
      assert.equal(msg.headers.get('auto-submitted'), 'auto-generated');
      assert.equal(msg.headers.get('content-language'), 'fr');
      assert.match(msg.headers.get('content-type') ?? '', /^multipart\/alternative/);
      const parts = leaves(msg);
      const text = parts.find((p) => p.headers.get('content-type')?.startsWith('text/plain'));
      const html = parts.find((p) => p.headers.get('content-type')?.startsWith('text/html'));
      assert.ok(text && html, 'both a text and an HTML part');
      const textBody = text.body.toString('utf8');
      const htmlBody = html.body.toString('utf8');
      assert.ok(textBody.includes('481516') && htmlBody.includes('481516'));
      assert.ok(textBody.includes("Vous n'avez pas demandé ce code ? Vous pouvez ignorer cet e-mail."), textBody);
      assert.ok(htmlBody.includes('vérifier votre adresse e-mail sur Boutique Élise'));
      assert.ok(htmlBody.includes('<html lang="fr">'));
    } finally {
      await closeMailers();
      await sink.close();
    }
  });

  test('logs in when the server wants it; a refused login is a MailError without the credentials', async () => {
    const sink = await startSink({
      authOptional: false,
      allowInsecureAuth: true, // loopback test only
      onAuth(auth, _session, callback) {
        if (auth.username === 'relay-user' && auth.password === 'right-password') callback(null, { user: auth.username });
        else callback(new Error('535 Authentication credentials invalid for relay-user/wrong-password-s3cret'));
      },
    });
    try {
      await mailerFor(sink.port, { auth: { user: 'relay-user', pass: 'right-password' } }).send(mail('en', '111222'));
      assert.equal(sink.received.length, 1);
      const refused = mailerFor(sink.port, { auth: { user: 'relay-user', pass: 'wrong-password-s3cret' } });
      await assert.rejects(refused.send(mail('en', '333444')), (error: unknown) => {
        assert.ok(error instanceof MailError);
        assert.equal(error.kind, 'auth');
        assert.equal(error.provider, 'smtp');
        const said = `${error.message} ${JSON.stringify(error)} ${error.stack}`;
        for (const secret of ['wrong-password-s3cret', 'relay-user', '333444']) assert.ok(!said.includes(secret), secret);
        return true;
      });
    } finally {
      await closeMailers();
      await sink.close();
    }
  });

  test('a refused recipient is recipient_rejected', async () => {
    const sink = await startSink({
      onRcptTo(_address, _session, callback) {
        callback(Object.assign(new Error('No such user'), { responseCode: 550 }));
      },
    });
    try {
      await assert.rejects(mailerFor(sink.port).send(mail('en', '555666')), (error: unknown) => {
        assert.ok(error instanceof MailError);
        assert.equal(error.kind, 'recipient_rejected');
        assert.equal(error.recipientRejected, true);
        assert.equal(error.responseCode, 550);
        assert.ok(!error.message.includes('No such user'), 'server text is not copied');
        return true;
      });
    } finally {
      await closeMailers();
      await sink.close();
    }
  });

  test('connection refused is a connection MailError', async () => {
    // A port that was just free: bind, read it, release it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    await assert.rejects(mailerFor(port, { timeoutMs: 2000 }).send(mail('en', '777888')), (error: unknown) => {
      assert.ok(error instanceof MailError);
      assert.equal(error.kind, 'connection');
      assert.match(error.message, /^smtp: could not connect/);
      return true;
    });
  });
});
