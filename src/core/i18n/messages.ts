// The words a code is delivered in: SMS text and voice-call speech, per language. Pure.
// Only the code, the app name and the lifetime go in: an SMS is readable on a lock screen and
// travels through carriers, so it must never carry user data.

export type MessageLanguage = 'en' | 'fr' | 'it';

export const supportedMessageLanguages: readonly MessageLanguage[] = ['en', 'fr', 'it'];

/** `fr-FR`, `FR`, `it_IT`, `fr-CA` → fr/it; anything unknown → en. */
export function messageLanguage(locale: string | null | undefined): MessageLanguage {
  const base = (locale ?? '').trim().toLowerCase().split(/[-_]/)[0] ?? '';
  return (supportedMessageLanguages as readonly string[]).includes(base) ? (base as MessageLanguage) : 'en';
}

interface Phrases {
  sms(code: string, app: string, ttlMinutes: number): string;
  /** First line announces, second line repeats; `digits` is already spaced out. */
  voice(digits: string, app: string): [string, string];
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

const phrases: Record<MessageLanguage, Phrases> = {
  en: {
    sms: (code, app, ttl) =>
      `${code} is your ${app} verification code. It expires in ${ttl} ${plural(ttl, 'minute', 'minutes')}. Do not share it.`,
    voice: (digits, app) => [`Your ${app} verification code is: ${digits}.`, `Once again, your code is: ${digits}.`],
  },
  fr: {
    sms: (code, app, ttl) =>
      `${code} est votre code de vérification ${app}. Il expire dans ${ttl} ${plural(ttl, 'minute', 'minutes')}. Ne le partagez pas.`,
    voice: (digits, app) => [`Votre code de vérification ${app} est : ${digits}.`, `Je répète, votre code est : ${digits}.`],
  },
  it: {
    sms: (code, app, ttl) =>
      `${code} è il tuo codice di verifica ${app}. Scade tra ${ttl} ${plural(ttl, 'minuto', 'minuti')}. Non condividerlo.`,
    voice: (digits, app) => [`Il tuo codice di verifica ${app} è: ${digits}.`, `Ripeto, il tuo codice è: ${digits}.`],
  },
};

// The app name is shown to users and comes from configuration; control characters or line
// breaks in it would split the voice lines or forge extra SMS lines.
function cleanAppName(appName: string): string {
  const flat = appName.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > 0 ? flat.slice(0, 40) : 'Tollgate';
}

function cleanTtl(ttlMinutes: number): number {
  return Number.isFinite(ttlMinutes) && ttlMinutes >= 1 ? Math.round(ttlMinutes) : 1;
}

/**
 * "1, 2, 3, 4, 5, 6": the commas make text-to-speech read one digit at a time (in the `<Say>`
 * language) instead of "one hundred twenty-three thousand…".
 */
export function spellOutCode(code: string): string {
  return Array.from(code.replace(/\s+/g, '')).join(', ');
}

export function smsText(locale: string, code: string, appName: string, ttlMinutes: number): string {
  return phrases[messageLanguage(locale)].sms(code, cleanAppName(appName), cleanTtl(ttlMinutes));
}

/**
 * What the voice call says: two lines separated by "\n" (announce, then repeat). Adapters may
 * speak the lines with a pause between them; spoken as one text it still reads naturally.
 */
export function voiceSpeech(locale: string, code: string, appName: string): string {
  return phrases[messageLanguage(locale)].voice(spellOutCode(code), cleanAppName(appName)).join('\n');
}

// Regional voices Twilio's <Say> offers for our languages; other regions fall back per language.
const regionalVoiceTags = new Set(['en-US', 'en-GB', 'en-AU', 'en-IN', 'fr-FR', 'fr-CA', 'it-IT']);
const defaultVoiceTag: Record<MessageLanguage, string> = { en: 'en-US', fr: 'fr-FR', it: 'it-IT' };

/** The `language` attribute for Twilio `<Say>`: en-US, fr-FR, it-IT (or en-GB, fr-CA when asked). */
export function voiceLanguageTag(locale: string | null | undefined): string {
  const language = messageLanguage(locale);
  const parts = (locale ?? '').trim().split(/[-_]/);
  const region = parts[1]?.toUpperCase();
  const tag = region ? `${language}-${region}` : '';
  if (parts[0]?.toLowerCase() === language && regionalVoiceTags.has(tag)) return tag;
  return defaultVoiceTag[language];
}
