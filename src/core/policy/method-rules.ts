// The verification-method metadata of a profile: `setting.methods` (what the user may verify with)
// and `setting.fallbackMethods` (what is offered once a phone send is refused). Both are comma
// lists so B2C XML (`<Item Key="setting.methods">phone,email</Item>`) and native YAML read alike.
import { type FactorMethod, factorMethods } from './profile.ts';
import type { Problems } from './problems.ts';
import type { RawMetadataItem } from './raw-profile.ts';

/** Splits a comma list, reporting unknown and repeated entries at the item's line. */
function readList(item: RawMetadataItem, problems: Problems): FactorMethod[] | null {
  if (typeof item.value !== 'string') {
    problems.error(item, `${item.key} must be a comma-separated list of ${factorMethods.join(', ')}, not ${String(item.value)}`);
    return null;
  }
  const entries = item.value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const out: FactorMethod[] = [];
  let ok = true;
  for (const entry of entries) {
    if (!(factorMethods as readonly string[]).includes(entry)) {
      problems.error(item, `${item.key}: unknown method "${entry}" (known: ${factorMethods.join(', ')})`);
      ok = false;
    } else if (out.includes(entry as FactorMethod)) {
      problems.warn(item, `${item.key}: "${entry}" is listed twice`);
    } else {
      out.push(entry as FactorMethod);
    }
  }
  return ok ? out : null;
}

/** `setting.methods`: default `phone`; an empty list is an error (nothing could be verified). */
export function readMethods(item: RawMetadataItem | undefined, problems: Problems): FactorMethod[] {
  if (!item) return ['phone'];
  const list = readList(item, problems);
  if (list === null) return ['phone'];
  if (list.length === 0) {
    problems.error(item, 'setting.methods must name at least one of phone, email, totp');
    return ['phone'];
  }
  return list;
}

/**
 * `setting.fallbackMethods`: default none. Only email and totp can stand in for a refused phone
 * send. A method also in `setting.methods` is fine: it is on offer anyway, and the fallback makes
 * a refusal point the user at it (`alternatives`). Without `phone` in the methods no phone send
 * can be refused, so that is a warning.
 */
export function readFallbackMethods(item: RawMetadataItem | undefined, methods: FactorMethod[], problems: Problems): Exclude<FactorMethod, 'phone'>[] {
  if (!item) return [];
  const list = readList(item, problems);
  if (list === null) return [];
  const out: Exclude<FactorMethod, 'phone'>[] = [];
  for (const m of list) {
    if (m === 'phone') {
      problems.error(item, 'setting.fallbackMethods cannot list phone: it is the method a fallback stands in for');
      continue;
    }
    out.push(m);
  }
  if (out.length > 0 && !methods.includes('phone')) {
    problems.warn(item, 'setting.fallbackMethods has no effect: setting.methods does not offer phone, so no phone send can be refused');
  }
  return out;
}
