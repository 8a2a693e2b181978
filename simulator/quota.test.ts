import { describe, expect, it } from 'vitest';
import {
  afterInteraction,
  afterUserMessage,
  canType,
  decideSend,
  EMPTY_QUOTA,
  type QuotaState,
} from './quota.js';

const S = 1000;
const MIN = 60 * S;
const H = 60 * MIN;

type Step = { at: number; do: 'message' | 'interaction' } | { at: number; do: 'send'; expect: 'message' | 'interaction' | 45015 | 45047 };

function run(steps: Step[]) {
  let state: QuotaState = EMPTY_QUOTA;
  const outcomes: Array<string | number> = [];
  for (const step of steps) {
    if (step.do === 'message') state = afterUserMessage(state, step.at);
    else if (step.do === 'interaction') state = afterInteraction(state, step.at);
    else {
      const d = decideSend(state, step.at);
      if (d.ok) state = d.state;
      outcomes.push(d.ok ? d.allowance : d.errcode);
    }
  }
  return outcomes;
}

const send = (at: number, expect: 'message' | 'interaction' | 45015 | 45047): Step => ({ at, do: 'send', expect });
const sends = (at: number, n: number, expect: 'message' | 'interaction' | 45015 | 45047): Step[] =>
  Array.from({ length: n }, (_, i) => send(at + i, expect));

describe('customer-service quota', () => {
  const cases: Array<[string, Step[]]> = [
    ['refuses a send to a user who never wrote', [send(0, 45015)]],
    ['allows a send right after the user wrote', [{ at: 0, do: 'message' }, send(1, 'message')]],
    ['allows 5 sends within 48 h and refuses the 6th', [{ at: 0, do: 'message' }, ...sends(10, 5, 'message'), send(20, 45047)]],
    ['closes the window exactly 48 h after the message', [{ at: 0, do: 'message' }, send(48 * H - 1, 'message'), send(48 * H, 45015)]],
    [
      'starts the counter again when the user writes again',
      [{ at: 0, do: 'message' }, ...sends(1, 5, 'message'), send(10, 45047), { at: H, do: 'message' }, ...sends(H + 1, 5, 'message')],
    ],
    ['allows 3 sends within a minute of a menu click and refuses the 4th', [{ at: 0, do: 'interaction' }, ...sends(1, 3, 'interaction'), send(5, 45047)]],
    ['closes the click allowance after one minute', [{ at: 0, do: 'interaction' }, send(MIN - 1, 'interaction'), send(MIN, 45015)]],
    [
      'uses the click allowance once the 48 h quota is spent',
      [{ at: 0, do: 'message' }, ...sends(1, 5, 'message'), { at: 10, do: 'interaction' }, ...sends(11, 3, 'interaction'), send(20, 45047)],
    ],
    ['ignores a clock that went backwards', [{ at: 100, do: 'message' }, send(50, 45015)]],
  ];
  it.each(cases)('%s', (_name, steps) => {
    const expected = steps.flatMap((s) => (s.do === 'send' ? [s.expect] : []));
    expect(run(steps)).toEqual(expected);
  });
});

describe('typing window', () => {
  const cases: Array<[string, QuotaState, number, boolean]> = [
    ['refuses typing before any message', EMPTY_QUOTA, 0, false],
    ['allows typing right after a message', afterUserMessage(EMPTY_QUOTA, 0), 0, true],
    ['allows typing 30 s after a message', afterUserMessage(EMPTY_QUOTA, 0), 30 * S, true],
    ['refuses typing after 30 s', afterUserMessage(EMPTY_QUOTA, 0), 30 * S + 1, false],
    ['refuses typing after a menu click only', afterInteraction(EMPTY_QUOTA, 0), 1, false],
  ];
  it.each(cases)('%s', (_name, state, at, expected) => {
    expect(canType(state, at)).toBe(expected);
  });
});
