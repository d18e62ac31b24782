// The development outbox as an HTML page: every SMS and voice message the dev telephony adapter
// "sent", newest first, with the code. Refreshes itself every few seconds (meta refresh, no JS).
import type { OutboxMessage } from '../ports.ts';
import { renderDocument } from './document.ts';
import { html } from './html.ts';

export interface OutboxPageOptions {
  /** The `to` filter in use, if any (E.164, or an email address). */
  to?: string | null;
  /** Epoch ms, for "n s ago". */
  now?: number;
  /** Seconds between automatic reloads; 0 turns it off. Default 5. */
  refreshSeconds?: number;
}

function ago(time: number, now: number | undefined): string {
  if (now === undefined) return '';
  const s = Math.max(0, Math.round((now - time) / 1000));
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  return `${Math.floor(s / 3600)} h ago`;
}

function iso(time: number): string {
  const d = new Date(time);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}

export function renderOutboxPage(messages: OutboxMessage[], opts: OutboxPageOptions = {}): string {
  const sorted = [...messages].sort((a, b) => b.time - a.time);
  const refresh = opts.refreshSeconds ?? 5;
  const rows = sorted.map(
    (m) => html`<tr>
  <td><time datetime="${iso(m.time)}">${iso(m.time).replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time><br><span class="tg-hint">${ago(m.time, opts.now)}</span></td>
  <td>${m.channel === 'voice' ? 'Voice' : m.channel === 'email' ? 'Email' : 'SMS'}</td>
  <td dir="ltr">${m.to}</td>
  <td class="tg-body" lang="${m.locale}">${m.body}</td>
  <td>${m.code ? html`<code class="tg-otp">${m.code}</code>` : '—'}</td>
</tr>`,
  );
  const body = html`<h1 id="tg-heading">Outbox</h1>
<p class="tg-intro">Messages the development telephony and mail adapters would have sent${opts.to ? html` to <span dir="ltr">${opts.to}</span>` : ''}, newest first.${refresh > 0 ? ` This page reloads every ${refresh} s.` : ''}</p>
<p><a href="/">Demo app</a>${opts.to ? html` · <a href="/dev/outbox">All messages</a>` : ''}</p>
${
  sorted.length === 0
    ? html`<p class="tg-empty" role="status">No messages yet. Start a verification from the <a href="/">demo app</a>.</p>`
    : html`<div class="tg-table-wrap"><table class="tg-table">
<caption class="tg-visually-hidden">Sent messages, newest first</caption>
<thead><tr><th scope="col">Time</th><th scope="col">Channel</th><th scope="col">To</th><th scope="col">Message</th><th scope="col">Code</th></tr></thead>
<tbody>
${rows}
</tbody>
</table></div>`
}`;
  return renderDocument({
    lang: 'en',
    title: 'Tollgate outbox',
    body,
    skipLabel: 'Skip to content',
    refreshSeconds: refresh > 0 ? refresh : undefined,
    bodyClass: 'tg-wide',
  });
}
