/**
 * Business hours (DESK_HOURS, DESK_TIMEZONE): "always", or "mon-fri 08:30-17:30, sat 09:00-12:00".
 * Pure: takes an instant and returns values; the time zone is applied with Intl.
 */
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
const DAY_NAMES = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];

/** Opening windows in minutes of the day, per weekday (0 = Sunday). */
export interface Schedule {
  always: boolean;
  timeZone: string;
  days: Array<Array<{ from: number; to: number }>>;
}

export function parseHours(spec: string, timeZone: string): Schedule {
  const days: Schedule['days'] = DAYS.map(() => []);
  if (spec.trim() === 'always') return { always: true, timeZone, days };
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    const m = /^([a-z]{3})(?:-([a-z]{3}))? (\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(part);
    if (!m) throw new Error(`DESK_HOURS: cannot read "${part}"`);
    const first = dayIndex(m[1]!);
    const last = m[2] ? dayIndex(m[2]) : first;
    const from = Number(m[3]) * 60 + Number(m[4]);
    const to = Number(m[5]) * 60 + Number(m[6]);
    if (from >= to || to > 24 * 60) throw new Error(`DESK_HOURS: "${part}" must end after it starts, on the same day`);
    // mon-fri runs forward; sat-mon wraps over Sunday.
    for (let d = first, n = 0; n < 7; d = (d + 1) % 7, n++) {
      days[d]!.push({ from, to });
      if (d === last) break;
    }
  }
  for (const d of days) d.sort((a, b) => a.from - b.from);
  return { always: false, timeZone, days };
}

export function isOpen(schedule: Schedule, now: Date): boolean {
  if (schedule.always) return true;
  const { day, minute } = localTime(now, schedule.timeZone);
  return schedule.days[day]!.some((w) => minute >= w.from && minute < w.to);
}

/** When service next opens, as the customer reads it: "今天 13:00", "明天 08:30", "周一 08:30"; null if never. */
export function nextOpening(schedule: Schedule, now: Date): string | null {
  if (schedule.always) return null;
  const { day, minute } = localTime(now, schedule.timeZone);
  for (let offset = 0; offset <= 7; offset++) {
    const d = (day + offset) % 7;
    const w = schedule.days[d]!.find((w) => offset > 0 || w.from > minute);
    if (w) return `${offset === 0 ? '今天' : offset === 1 ? '明天' : DAY_NAMES[d]} ${hhmm(w.from)}`;
  }
  return null;
}

function dayIndex(name: string): number {
  const i = DAYS.indexOf(name as (typeof DAYS)[number]);
  if (i < 0) throw new Error(`DESK_HOURS: unknown day "${name}"`);
  return i;
}

function localTime(now: Date, timeZone: string): { day: number; minute: number } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return { day: dayIndex(get('weekday').toLowerCase()), minute: Number(get('hour')) * 60 + Number(get('minute')) };
}

const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

const DAY_ORDER = [1, 2, 3, 4, 5, 6, 0];

/** DESK_HOURS in words, as a customer reads it: "周一至周五 08:30-17:30，周六 09:00-12:00", or "7×24 小时". */
export function describeHours(spec: string, timeZone: string): string {
  const s = parseHours(spec, timeZone);
  if (s.always) return '7×24 小时';
  const windowsOf = (d: number) => s.days[d]!.map((w) => `${hhmm(w.from)}-${hhmm(w.to)}`).join('、');
  const parts: string[] = [];
  // Consecutive days (Monday first) with the same windows read as one range.
  for (let i = 0; i < 7; ) {
    const w = windowsOf(DAY_ORDER[i]!);
    let j = i;
    while (j + 1 < 7 && windowsOf(DAY_ORDER[j + 1]!) === w) j++;
    if (w) parts.push(`${DAY_NAMES[DAY_ORDER[i]!]}${j > i ? `至${DAY_NAMES[DAY_ORDER[j]!]}` : ''} ${w}`);
    i = j + 1;
  }
  const zone = timeZone === 'Asia/Shanghai' ? '' : `（${timeZone} 时间）`;
  return parts.join('，') + zone;
}
