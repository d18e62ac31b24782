// Moves one scope along its ladder given the latest verdict. Called with a knock (a send attempt
// about to be judged) from assess, and without one from observe, so suspensions appear from the
// event stream alone and `seed` rebuilds them. Escalation from probation needs a knock: a block
// that keeps being hit after its hold climbs, one left alone steps down.
import { activeUntil, currentLevel, enter, escalate, isActive, lift, type SuspensionState } from './ladder.ts';
import { markExplained } from './outcomes.ts';
import { blocksSuspendedSince, countryAlert, noteEpisode } from './alert.ts';
import { countryRecovered, judgeBlock, judgeCountry } from './signals.ts';
import { forget, spreadFor } from './spread.ts';
import { suspensionKey, type CountryState, type PrefixRec, type PumpingState } from './state.ts';

export interface Knock {
  e164: string;
  /** Verified before (or allow-listed): bypasses block suspensions and does not keep them alive. */
  trusted: boolean;
}

export function refreshBlock(st: PumpingState, rec: PrefixRec, now: number, knock: Knock | null): SuspensionState | null {
  const cfg = st.cfg;
  const key = suspensionKey(rec.scope, rec.key);
  let s = st.suspensions.get(key) ?? null;
  const knocking = knock !== null && !knock.trusted;
  const active = s !== null && isActive(s, now, cfg);
  // Already blocking: nothing the block does now can change that, so skip the counting.
  if (s && active && s.level >= 2) {
    if (knocking) s.lastKnockAt = now;
    return s;
  }
  if (s && currentLevel(s, now, cfg) === 0) {
    forget(st, key, s);
    s = null;
  }
  const v = judgeBlock(st, rec, spreadFor(st, rec.country), knock?.e164 ?? null, countryAlert(st, rec.country, now), now);
  if (!s) {
    if (v.level === 0) return null;
    s = enter(rec.scope, rec.key, rec.country, null, v.level, now, v.signal, v.figures, cfg);
    st.suspensions.set(key, s);
    markExplained(st, rec);
    noteEpisode(st, rec, now);
    return s;
  }
  if (active) {
    if (v.level > s.level) escalate(s, now, cfg, v.level, false, v.signal, v.figures);
    else if (v.signal === 'converting') lift(s, now);
    else if (knocking) s.lastKnockAt = now;
    return s;
  }
  if (knocking && v.level > 0) escalate(s, now, cfg, v.level, true, v.signal, v.figures);
  return s;
}

export function refreshCountry(st: PumpingState, cs: CountryState, now: number, knock: Knock | null): SuspensionState | null {
  const cfg = st.cfg;
  const key = suspensionKey('country', cs.key);
  let s = st.suspensions.get(key) ?? null;
  const knocking = knock !== null && !(knock.trusted && cfg.country.trustedBypass);
  if (s && isActive(s, now, cfg)) {
    // Its sessions verify like the baseline again (a false alarm, or the campaign gave up): lift.
    if (countryRecovered(st, cs, s, now)) lift(s, now);
    else if (knocking) s.lastKnockAt = now;
    return s;
  }
  const c = cfg.concentration;
  if (!s || currentLevel(s, now, cfg) === 0) {
    const v = judgeCountry(st, cs, now, -Infinity, false);
    if (v.alert) cs.alertAt = now;
    // Blocks suspended one after another in one country: a campaign, whatever the country totals say.
    const campaign = cfg.country.campaignChallenge ? blocksSuspendedSince(st, cs.country, now - c.campaignWindowMs) : 0;
    if (v.level === 0 && campaign < c.campaignBlocks) return null;
    const why = v.level > 0 ? v : { signal: 'campaign', figures: { ...v.figures, blocksSuspended: campaign } };
    s = enter('country', cs.key, cs.country, cs.channel, 1, now, why.signal, why.figures, cfg);
    st.suspensions.set(key, s);
    return s;
  }
  // Probation: judge only what happened since the level was entered (the attack that set it off
  // is still in the 24-hour window), with a lighter bar. Challenges solved by a farm that still
  // never verifies, the attack coming back after the hold, or new blocks falling to it, climb.
  const v = judgeCountry(st, cs, now, s.since, true);
  const campaign = cfg.country.campaignChallenge ? blocksSuspendedSince(st, cs.country, activeUntil(s, cfg)) : 0;
  if (v.level > 0) escalate(s, now, cfg, 1, true, v.signal, v.figures);
  else if (campaign >= c.campaignBlocks) escalate(s, now, cfg, 1, true, 'campaign', { ...v.figures, blocksSuspended: campaign });
  // The hold ran out, or the campaign paused, but its latest sessions show no recovery (their
  // challenges went unsolved, their codes unused): the first untrusted send that comes back meets
  // the challenge again, one level up. Only recovery (the lift above) ends an episode early.
  else if (knocking && s.liftedAt === null && !countryRecovered(st, cs, s, now)) escalate(s, now, cfg, 1, true, 'campaign-continues', v.figures);
  return s;
}
