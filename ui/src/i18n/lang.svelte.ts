// The current UI language and `t`. Because `t` reads reactive state, every template that calls
// it re-renders when the language changes; no store subscription is needed.
import { setLanguage } from "../ipc/app";
import type { Lang } from "../ipc/bindings/Lang";
import { en } from "./en";
import { id, type MessageKey, type Messages } from "./id";

const STORAGE_KEY = "bansos.lang";
const DICTIONARIES: Record<Lang, Messages> = { id, en };

function storedLang(): Lang {
  // Indonesian unless the person chose English on this PC before.
  return localStorage.getItem(STORAGE_KEY) === "en" ? "en" : "id";
}

export const i18n = $state<{ lang: Lang }>({ lang: storedLang() });

type Params = Record<string, string | number>;

/** A count that is one, among the parameters a text counts by. */
function countsOne(params: Params): boolean {
  const c = params.count ?? params.n ?? params.days;
  return c !== undefined && String(c) === "1";
}

/**
 * The text for `key` in the current language, with `{name}` filled from `params`. A text with a
 * `<key>_one` form ("1 family member") takes it when its count (`count`, `n` or `days`) is one;
 * Indonesian writes both alike.
 */
export function t(key: MessageKey, params?: Params): string {
  const dict = DICTIONARIES[i18n.lang];
  const one = `${key}_one`;
  const text = params && countsOne(params) && one in dict ? dict[one as MessageKey] : dict[key];
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/**
 * Tells the core which language to write its error messages in. A failure is not shown: the
 * screens still switch language, and the core then keeps answering in its previous language.
 */
async function tellCore(lang: Lang): Promise<void> {
  try {
    await setLanguage(lang);
  } catch {
    // See above: nothing the person could do about it.
  }
}

/** At start: mark the page and align the core with the remembered language. */
export function applyStoredLang(): Promise<void> {
  document.documentElement.lang = i18n.lang;
  return tellCore(i18n.lang);
}

export function switchLang(lang: Lang): void {
  if (lang === i18n.lang) return;
  i18n.lang = lang;
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang;
  void tellCore(lang);
}
