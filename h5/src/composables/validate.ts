/** Client-side checks that save a round trip; the server checks everything again. */
export const MOBILE = /^1\d{10}$/;
export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const MIN_PASSWORD = 8;
export const HOTLINE = '400-658-6000';
export const HOTLINE_TEL = 'tel:4006586000';

export type Strength = { level: 0 | 1 | 2 | 3; label: string; color: string };

/** 弱 / 中 / 强 from length and the kinds of characters used. */
export function passwordStrength(password: string): Strength {
  if (!password) return { level: 0, label: '', color: '#c8c9cc' };
  const kinds = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9]/].filter((re) => re.test(password)).length;
  if (password.length < MIN_PASSWORD || kinds < 2) return { level: 1, label: '弱', color: '#ee0a24' };
  if (password.length >= 12 && kinds >= 3) return { level: 3, label: '强', color: '#07c160' };
  return { level: 2, label: '中', color: '#ff976a' };
}

export function passwordRule(value: string): true | string {
  if (value.length < MIN_PASSWORD) return `密码至少${MIN_PASSWORD}位`;
  return true;
}
