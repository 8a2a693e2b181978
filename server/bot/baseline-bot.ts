import type { Bot, BotAnswer } from '../chat/ports.js';
import { texts } from '../chat/texts.js';

/**
 * The bot until the knowledge base lands (issue #3): it recognises a request for a human
 * in natural words, and otherwise says honestly that it cannot answer, with the way to a human.
 */
const HANDOFF_WORDS = ['转人工', '人工客服', '人工服务', '找客服', '真人', '人工'];

export class BaselineBot implements Bot {
  async answer(question: string): Promise<BotAnswer> {
    if (HANDOFF_WORDS.some((w) => question.includes(w))) return { text: '', handoff: true, band: 'handoff' };
    return { text: texts.botCannotAnswer, band: 'unknown' };
  }
}
