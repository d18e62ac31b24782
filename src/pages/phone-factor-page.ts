// The hosted phone-factor page body, chosen by session state. Returns the fragment that goes into
// `<div id="api">` (built-in layout or operator template).
import { renderCodeStep } from './code-step.ts';
import type { SafeHtml } from './html.ts';
import { renderNumberStep } from './number-step.ts';
import { renderFailed, renderVerified } from './outcome-step.ts';
import type { PageContext } from './page-context.ts';

export function renderPhoneFactorBody(ctx: PageContext): SafeHtml {
  const { view } = ctx;
  switch (view.status) {
    case 'verified':
      return renderVerified(ctx);
    case 'failed':
    case 'expired':
      return renderFailed(ctx);
    case 'code_sent':
      if (view.codeSent) return renderCodeStep(ctx, view.codeSent);
      return renderNumberStep(ctx);
    case 'created':
    case 'number_selected':
    default:
      return renderNumberStep(ctx);
  }
}
