/**
 * Validation of POST /cgi-bin/menu/create, as the WeChat platform does it.
 * Limits and error codes: DESIGN.md §3 "Menu" and the official global return codes
 * (40016 button count … 40027 sub-button url length). Lengths are UTF-8 bytes.
 */

export interface MenuButton {
  readonly type?: 'click' | 'view';
  readonly name: string;
  readonly key?: string;
  readonly url?: string;
  readonly sub_button?: readonly MenuButton[];
}

export interface Menu {
  readonly button: readonly MenuButton[];
}

export const MAX_BUTTONS = 3;
export const MAX_SUB_BUTTONS = 5;
export const MAX_TOP_NAME_BYTES = 16;
export const MAX_SUB_NAME_BYTES = 60;
export const MAX_KEY_BYTES = 128;
export const MAX_URL_BYTES = 1024;

export const MENU_ERRORS = {
  47001: 'data format error',
  40016: 'invalid button size',
  40017: 'invalid button type',
  40018: 'invalid button name size',
  40019: 'invalid button key size',
  40020: 'invalid button url size',
  40023: 'invalid sub button size',
  40024: 'invalid sub button type',
  40025: 'invalid sub button name size',
  40026: 'invalid sub button key size',
  40027: 'invalid sub button url size',
} as const;

export type MenuErrcode = keyof typeof MENU_ERRORS;

export type MenuValidation =
  | { readonly ok: true; readonly menu: Menu }
  | { readonly ok: false; readonly errcode: MenuErrcode; readonly errmsg: string };

interface LevelCodes {
  type: MenuErrcode;
  name: MenuErrcode;
  key: MenuErrcode;
  url: MenuErrcode;
  maxName: number;
}

const TOP: LevelCodes = { type: 40017, name: 40018, key: 40019, url: 40020, maxName: MAX_TOP_NAME_BYTES };
const SUB: LevelCodes = { type: 40024, name: 40025, key: 40026, url: 40027, maxName: MAX_SUB_NAME_BYTES };

export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** Checks a menu/create body; returns the normalised menu (only known fields kept) or the first error. */
export function validateMenu(input: unknown): MenuValidation {
  if (!isRecord(input)) return fail(47001);
  const buttons = input.button;
  if (!Array.isArray(buttons) || buttons.length < 1 || buttons.length > MAX_BUTTONS) return fail(40016);
  const out: MenuButton[] = [];
  for (const raw of buttons) {
    if (!isRecord(raw)) return fail(47001);
    const subs = raw.sub_button;
    if (Array.isArray(subs) && subs.length > 0) {
      const name = checkName(raw.name, TOP);
      if (typeof name === 'number') return fail(name);
      if (subs.length > MAX_SUB_BUTTONS) return fail(40023);
      const children: MenuButton[] = [];
      for (const sub of subs) {
        const child = checkLeaf(sub, SUB);
        if (typeof child === 'number') return fail(child);
        children.push(child);
      }
      out.push({ name, sub_button: children });
    } else {
      if (subs !== undefined && !Array.isArray(subs)) return fail(40023);
      const leaf = checkLeaf(raw, TOP);
      if (typeof leaf === 'number') return fail(leaf);
      out.push(leaf);
    }
  }
  return { ok: true, menu: { button: out } };
}

function checkLeaf(raw: unknown, codes: LevelCodes): MenuButton | MenuErrcode {
  if (!isRecord(raw)) return 47001;
  if (raw.type !== 'click' && raw.type !== 'view') return codes.type;
  const name = checkName(raw.name, codes);
  if (typeof name === 'number') return name;
  if (raw.type === 'click') {
    const key = raw.key;
    if (typeof key !== 'string' || key.length === 0 || byteLength(key) > MAX_KEY_BYTES) return codes.key;
    return { type: 'click', name, key };
  }
  const url = raw.url;
  // WeChat also rejects a view URL that is not http(s); it reports it with the same code.
  if (typeof url !== 'string' || byteLength(url) > MAX_URL_BYTES || !/^https?:\/\/\S+$/i.test(url)) return codes.url;
  return { type: 'view', name, url };
}

function checkName(raw: unknown, codes: LevelCodes): string | MenuErrcode {
  if (typeof raw !== 'string' || raw.length === 0 || byteLength(raw) > codes.maxName) return codes.name;
  return raw;
}

function fail(errcode: MenuErrcode): MenuValidation {
  return { ok: false, errcode, errmsg: MENU_ERRORS[errcode] };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
