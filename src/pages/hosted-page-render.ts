// Turns a session view (or a bare message) into the HTTP response of the hosted page: locale
// choice, translator, body, built-in or operator layout, security headers and status.
import { captchaProviderOf } from './captcha-slot.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chooseLocale } from '../core/i18n/negotiate.ts';
import { createTranslator, shippedLanguages, type Translator } from '../core/i18n/strings/index.ts';
import type { FactorMethod } from '../core/policy/profile.ts';
import type { SessionView } from '../services/phone-factor-view.ts';
import { loadContentTemplate } from './content-template.ts';
import { allowedStylesheets, injectIntoTemplate, renderDocument, type DocumentParts } from './document.ts';
import { originOf, type SafeHtml } from './html.ts';
import { renderCancelled, renderMessageOnly } from './outcome-step.ts';
import type { PageError } from './page-context.ts';
import { renderPhoneFactorBody } from './phone-factor-page.ts';
import { renderRecoveryCodes } from './totp-step.ts';
import { applyPageHeaders } from './security-headers.ts';

export interface PageRequestInfo {
  /** Session id from the path. */
  id: string;
  uiLocales: string | null;
  acceptLanguage: string | null;
  /** `?ui_locales=…` or '' (kept on form actions and redirects). */
  query: string;
  /** `?method=`: the method the user picked. */
  method?: FactorMethod | null;
  /** `?recovery=1`: the authenticator step shows the recovery-code form. */
  recovery?: boolean;
}

/** Optional policy language settings, if the view carries them (contentDefinition extras). */
function policyLanguages(view: SessionView | null): { supported: string[]; defaultLanguage: string } {
  const cd = (view?.contentDefinition ?? {}) as { supportedLanguages?: unknown; defaultLanguage?: unknown };
  const supported = Array.isArray(cd.supportedLanguages)
    ? cd.supportedLanguages.filter((l): l is string => typeof l === 'string' && l.length > 0)
    : [];
  const defaultLanguage = typeof cd.defaultLanguage === 'string' && cd.defaultLanguage ? cd.defaultLanguage : 'en';
  return { supported: supported.length > 0 ? supported : [...shippedLanguages], defaultLanguage };
}

export function pageTranslator(info: PageRequestInfo, view: SessionView | null): Translator {
  const { supported, defaultLanguage } = policyLanguages(view);
  const locale = chooseLocale({
    sessionLocale: view?.locale ?? null,
    uiLocales: info.uiLocales,
    acceptLanguage: info.acceptLanguage,
    supported,
    defaultLanguage,
  });
  return createTranslator(locale, view?.stringOverrides);
}

function title(tr: Translator, appName?: string): string {
  return appName ? `${tr.t('page_title')} – ${appName}` : tr.t('page_title');
}

function send(reply: FastifyReply, status: number, doc: string, view: SessionView | null): FastifyReply {
  const stylesheets = allowedStylesheets(view?.contentDefinition.stylesheets);
  const styleOrigins = stylesheets.map(originOf).filter((o): o is string => o !== null);
  const returnOrigin = originOf(view?.returnUrl);
  applyPageHeaders(reply, { styleOrigins, formActionOrigins: returnOrigin ? [returnOrigin] : [], captcha: captchaProviderOf(view?.captcha) });
  const code = status === 200 ? 200 : status >= 400 && status <= 599 ? status : 400;
  return reply.code(code).send(doc);
}

export interface ViewPageInput {
  info: PageRequestInfo;
  view: SessionView;
  error: PageError | null;
  csrf: string;
  now: number;
}

/** The page for a session: its state, the error if any, in the operator template when one loads. */
export async function sendViewPage(request: FastifyRequest, reply: FastifyReply, input: ViewPageInput): Promise<FastifyReply> {
  const { view, info, error } = input;
  const tr = pageTranslator(info, view);
  const body = renderPhoneFactorBody({
    view,
    tr,
    csrf: input.csrf,
    now: input.now,
    error,
    acceptLanguage: info.acceptLanguage,
    query: info.query,
    method: info.method ?? null,
    recovery: info.recovery ?? false,
  });
  return sendSessionDocument(request, reply, view, tr, body, error?.status ?? 200);
}

/** The recovery codes, right after an authenticator app was enrolled (shown once, never stored in clear). */
export async function sendRecoveryCodesPage(
  request: FastifyRequest,
  reply: FastifyReply,
  input: { info: PageRequestInfo; view: SessionView; codes: string[]; continueUrl: string; now: number },
): Promise<FastifyReply> {
  const tr = pageTranslator(input.info, input.view);
  const ctx = { view: input.view, tr, csrf: '', now: input.now, error: null, acceptLanguage: input.info.acceptLanguage, query: input.info.query };
  return sendSessionDocument(request, reply, input.view, tr, renderRecoveryCodes(ctx, input.codes, input.continueUrl), 200);
}

async function sendSessionDocument(request: FastifyRequest, reply: FastifyReply, view: SessionView, tr: Translator, body: SafeHtml, status: number): Promise<FastifyReply> {
  const parts: DocumentParts = {
    lang: tr.locale,
    title: title(tr, view.appName),
    body,
    stylesheets: view.contentDefinition.stylesheets,
    skipLabel: tr.t('skip_to_content'),
  };
  const template = await loadContentTemplate(view.contentDefinition.loadUri, (message, details) =>
    request.log.warn(details ?? {}, message),
  );
  const doc = (template !== null ? injectIntoTemplate(template, parts) : null) ?? renderDocument(parts);
  return send(reply, status, doc, view);
}

function builtInPage(reply: FastifyReply, tr: Translator, body: SafeHtml, status: number): FastifyReply {
  const doc = renderDocument({ lang: tr.locale, title: title(tr), body, skipLabel: tr.t('skip_to_content') });
  return send(reply, status, doc, null);
}

/** A page with only a message (no usable session), optionally with a "reload" link. */
export async function messagePage(
  reply: FastifyReply,
  tr: Translator,
  error: PageError,
  reloadHref: string | null = null,
): Promise<FastifyReply> {
  return builtInPage(reply, tr, renderMessageOnly(tr, error, reloadHref), error.status);
}

export async function cancelledPage(reply: FastifyReply, tr: Translator): Promise<FastifyReply> {
  return builtInPage(reply, tr, renderCancelled(tr), 200);
}
