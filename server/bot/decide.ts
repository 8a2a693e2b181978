import type { Ranked } from './types.js';
import type { IntentName } from './types.js';
import { botTexts } from './texts.js';

/**
 * The bot's decision for one question, as a pure function of what the retriever, the NLU and
 * the previous turn say. kb-bot.ts does the I/O around it.
 */
export interface EntryView {
  question: string;
  answer: string;
  link?: string | null;
}

export interface PreviousTurn {
  id: number;
  band: string;
  entryId: number | null;
  suggestions: number[] | null;
  feedback: string | null;
  at: Date;
}

export interface NluView {
  kind: 'intent' | 'chitchat' | 'none';
  intent?: IntentName;
  answer?: string;
}

export type Decision =
  | { kind: 'answer'; entryId: number; text: string; confidence: number; via: 'retrieval' | 'suggestion' }
  | { kind: 'suggest'; suggestions: number[]; text: string; confidence: number }
  | { kind: 'none'; text: string; confidence: number }
  | { kind: 'chitchat'; text: string }
  | { kind: 'handoff' }
  /** onList: the rating is of a "您是不是想问" list, so no entry's thumbs count it. */
  | { kind: 'feedback'; turnId: number; value: 'up' | 'down'; text: string; onList: boolean }
  | { kind: 'intent'; intent: 'thanks' | 'end'; text: string };

export interface DecideInput {
  question: string;
  previous: PreviousTurn | null;
  ranked: Ranked;
  nlu: NluView;
  entry(id: number): EntryView | undefined;
  now: Date;
  /** A link is made absolute against this (the server's public address). */
  publicBaseUrl?: string;
}

/** Feedback counts only right after an answer: within this long, and once. */
const FEEDBACK_WINDOW_MS = 30 * 60_000;
/** "1/2/3" picks a suggestion within this long. */
const PICK_WINDOW_MS = 30 * 60_000;

/** Words that make a text a question rather than a request. */
const QUESTION_WORDS = /怎么|怎样|如何|咋|啥|为什么|吗|么|？|\?|能不能|可不可以|是否|哪里|哪些|多久|几点|方法|办法/

const UP = new Set(['有用', '有帮助', '解决了', '好用', '有效', '👍']);
const DOWN = new Set(['没用', '没有用', '无用', '没帮助', '没解决', '不对', '👎']);

/**
 * Whether the previous turn matters for this message: only a number (a suggestion pick) or a
 * rating reply ("有用", or what the NLU reads as one) looks back. Everything else, including
 * short questions, skips the read.
 */
export function needsPrevious(question: string, nlu: NluView): boolean {
  const compact = question.trim().replace(/[\s。.!！?？~～]/g, '');
  return pickNumber(compact) !== null || UP.has(compact) || DOWN.has(compact) || feedbackIntent(nlu, compact) !== null;
}

/** The texts keep their {{hotline}}-style placeholders: the push handler fills every reply (platform/facts.ts). */
export function decide(i: DecideInput): Decision {
  const q = i.question.trim();
  const compact = q.replace(/[\s。.!！?？~～]/g, '');

  // 1. A number right after "您是不是想问": that entry's answer.
  const pick = pickNumber(compact);
  if (pick !== null && i.previous?.band === 'suggest' && within(i.previous.at, i.now, PICK_WINDOW_MS)) {
    const id = i.previous.suggestions?.[pick - 1];
    const entry = id === undefined ? undefined : i.entry(id);
    if (id === undefined || !entry) return { kind: 'chitchat', text: botTexts.noSuchSuggestion };
    return { kind: 'answer', entryId: id, text: answerText(entry, i.publicBaseUrl), confidence: 1, via: 'suggestion' };
  }

  // 2. "有用"/"没用" right after an answer or a list: feedback, never a question.
  const rating = UP.has(compact) ? 'up' : DOWN.has(compact) ? 'down' : feedbackIntent(i.nlu, compact);
  const prev = i.previous;
  if (rating && prev && (prev.band === 'answer' || prev.band === 'suggest') && prev.feedback === null && within(prev.at, i.now, FEEDBACK_WINDOW_MS)) {
    const onList = prev.band === 'suggest';
    const text = onList ? (rating === 'up' ? botTexts.thanksForListUp : botTexts.sorryForListDown) : rating === 'up' ? botTexts.thanksForUp : botTexts.sorryForDown;
    return { kind: 'feedback', turnId: prev.id, value: rating, text, onList };
  }
  // A bare "有用"/"没用" with nothing to rate is still feedback: thanked, never logged as unanswered.
  if (UP.has(compact) || DOWN.has(compact)) return { kind: 'chitchat', text: botTexts.feedbackWithoutContext };

  // 3. A request for a human, in natural words ("我要转人工"). A question about the service
  // ("怎么预约技术人员", "没登录能转人工吗") with a strong FAQ match is answered instead.
  const top = i.ranked.hits[0];
  const askingAbout = QUESTION_WORDS.test(q) && i.ranked.band === 'answer';
  if (i.nlu.kind === 'intent' && i.nlu.intent === 'handoff' && !askingAbout) return { kind: 'handoff' };

  // 4. A strong FAQ match wins over chit-chat: chit-chat never swallows a business question.
  if (i.ranked.band === 'answer' && top) {
    const id = Number(top.entryId);
    const entry = i.entry(id);
    if (entry) return { kind: 'answer', entryId: id, text: answerText(entry, i.publicBaseUrl), confidence: i.ranked.confidence, via: 'retrieval' };
  }

  // 5. Chit-chat and the small intents.
  if (i.nlu.kind === 'chitchat' && i.nlu.answer) return { kind: 'chitchat', text: i.nlu.answer };
  if (i.nlu.kind === 'intent' && i.nlu.intent === 'thanks') return { kind: 'intent', intent: 'thanks', text: botTexts.thanks };
  if (i.nlu.kind === 'intent' && i.nlu.intent === 'end') return { kind: 'intent', intent: 'end', text: botTexts.goodbye };

  // 6. Unsure: suggest up to three; else admit it, with the way to a human.
  if (i.ranked.band === 'suggest') {
    const suggestions = i.ranked.hits
      .map((h) => Number(h.entryId))
      .filter((id) => i.entry(id))
      .slice(0, 3);
    if (suggestions.length > 0) {
      const lines = suggestions.map((id, n) => `${n + 1}. ${i.entry(id)!.question}`);
      const text = [botTexts.suggestIntro, ...lines, botTexts.suggestOutro].join('\n');
      return { kind: 'suggest', suggestions, text, confidence: i.ranked.confidence };
    }
  }
  return { kind: 'none', text: botTexts.cannotAnswer, confidence: i.ranked.confidence };
}

/** The answer, its link (WeChat text messages render <a href>), and the feedback line. */
export function answerText(entry: EntryView, publicBaseUrl?: string): string {
  const parts = [entry.answer.trim()];
  if (entry.link) {
    const href = /^https?:\/\//.test(entry.link) || !publicBaseUrl ? entry.link : `${publicBaseUrl}${entry.link.startsWith('/') ? '' : '/'}${entry.link}`;
    parts.push(`<a href="${escapeAttr(href)}">${botTexts.linkLabel}</a>`);
  }
  parts.push(botTexts.feedbackPrompt);
  return parts.join('\n\n');
}

function pickNumber(s: string): number | null {
  const m = /^(?:第)?([1-3１-３一二三])(?:个|条)?$/.exec(s);
  if (!m) return null;
  const c = m[1]!;
  return '1１一'.includes(c) ? 1 : '2２二'.includes(c) ? 2 : 3;
}

function feedbackIntent(nlu: NluView, compact: string): 'up' | 'down' | null {
  // Only short replies: a long message is a new question, not a rating.
  if (compact.length > 8 || nlu.kind !== 'intent') return null;
  return nlu.intent === 'feedback.up' ? 'up' : nlu.intent === 'feedback.down' ? 'down' : null;
}

function within(at: Date, now: Date, ms: number): boolean {
  return now.getTime() - at.getTime() <= ms;
}

function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
