// The authenticator-app routes of the hosted page: sign in with a code or a recovery code, start an
// enrollment (then the page shows the QR code), and confirm it with a first code, which answers
// with the recovery codes once (no redirect: they are never stored in clear, so never shown again).
import type { FastifyInstance } from 'fastify';
import { safeUrl } from '../../pages/html.ts';
import { fieldError } from '../../pages/page-errors.ts';
import { pageTranslator, sendRecoveryCodesPage } from '../../pages/hosted-page-render.ts';
import type { VerifyOutcome } from '../../services/phone-factor-view.ts';
import { field, type HostedPageDeps, type HostedPageKit, type IdRequest, pageUrl, requestInfo } from './hosted-page-kit.ts';

const totpShown = { method: 'totp', channel: null } as const;

export async function registerHostedFactorRoutes(app: FastifyInstance, deps: HostedPageDeps, kit: HostedPageKit): Promise<void> {
  const { service } = deps;
  const { show, showError, begin } = kit;
  // After starting an enrollment the page shows the authenticator method (QR code and key).
  const totpPage = (info: ReturnType<typeof requestInfo>) =>
    `/pf/${encodeURIComponent(info.id)}?${new URLSearchParams([...(info.uiLocales ? [['ui_locales', info.uiLocales]] : []), ['method', 'totp']]).toString()}`;

  app.post('/pf/:id/totp', async (request: IdRequest, reply) => {
    const view = await begin(request, reply, true);
    if (!view) return reply;
    const tr = pageTranslator(requestInfo(request), view);
    const recoveryCode = field(request, 'recoveryCode', 64);
    const recovery = recoveryCode !== undefined;
    const shown = { ...totpShown, recovery };
    const code = recovery ? undefined : (field(request, 'code', 32) ?? '').replace(/[\s-]/g, '');
    if (recovery ? !recoveryCode!.trim() : !code) {
      return show(request, reply, view, fieldError(tr, recovery ? 'error_recovery_incorrect' : 'requiredField_code', recovery ? 'recoveryCode' : 'code'), shown);
    }
    if (!service.totp) return show(request, reply, view, fieldError(tr, 'error_method_unavailable', null, 409), shown);
    let outcome: VerifyOutcome;
    try {
      outcome = await service.totp(view.id, recovery ? { recoveryCode } : { code }, deps.clientInfo(request));
    } catch (err) {
      return showError(request, reply, view, err, shown);
    }
    return reply.code(303).redirect(safeUrl(outcome.redirectTo, '') || pageUrl(requestInfo(request)));
  });

  app.post('/pf/:id/totp/enroll', async (request: IdRequest, reply) => {
    const view = await begin(request, reply, true);
    if (!view) return reply;
    const tr = pageTranslator(requestInfo(request), view);
    if (!service.beginTotpEnrollment) return show(request, reply, view, fieldError(tr, 'error_method_unavailable', null, 409), totpShown);
    try {
      await service.beginTotpEnrollment(view.id);
    } catch (err) {
      return showError(request, reply, view, err, totpShown);
    }
    return reply.code(303).redirect(totpPage(requestInfo(request)));
  });

  app.post('/pf/:id/totp/confirm', async (request: IdRequest, reply) => {
    const view = await begin(request, reply, true);
    if (!view) return reply;
    const info = requestInfo(request);
    const tr = pageTranslator(info, view);
    const code = (field(request, 'code', 32) ?? '').replace(/[\s-]/g, '');
    if (!code) return show(request, reply, view, fieldError(tr, 'requiredField_code', 'code'), totpShown);
    if (!service.confirmTotpEnrollment) return show(request, reply, view, fieldError(tr, 'error_method_unavailable', null, 409), totpShown);
    let confirmed: { outcome: VerifyOutcome; recoveryCodes: string[] };
    try {
      confirmed = await service.confirmTotpEnrollment(view.id, code, deps.clientInfo(request));
    } catch (err) {
      return showError(request, reply, view, err, totpShown);
    }
    const continueUrl = safeUrl(confirmed.outcome.redirectTo, '') || pageUrl(info);
    return sendRecoveryCodesPage(request, reply, { info, view: confirmed.outcome.view, codes: confirmed.recoveryCodes, continueUrl, now: deps.now() });
  });
}
