import type { InboundMessage } from '../wechat/inbound.js';
import type { Bot, HumanService, Outgoing, Reply, Turn } from './ports.js';
import { normaliseCommand, texts } from './texts.js';

/**
 * Text commands answered before the bot. Each is optional: without it the text goes to the bot.
 * serviceCode: "服务编码 <全称>", the reply text (hit, miss or rate-limited).
 */
export interface ChatCommands {
  serviceCode?(fullName: string, who: { openid: string; accountId: number | null }): Promise<string>;
}

/**
 * "服务编码 <全称>" after NFKC (full-width letters and the ideographic space): the word, then a
 * space or a colon, then the name. Customers also ask for it ("查一下服务编码：…", "帮我查询服务编码 …"):
 * such a request with a name is the same command. "服务编码" alone asks for the name;
 * "服务编码是什么" and "怎么查服务编码" are questions for the bot.
 */
const SERVICE_CODE_COMMAND = /^(?:(?:请|麻烦)?(?:帮我|帮忙)?(?:查询|查查|查)(?:一下)?(?:我们?的|我司的?|单位的?)?(?=服务编码[\s:：]))?服务编码(?:$|[\s:：]+([\s\S]*)$)/;

/** The unit name of a "服务编码 <全称>" command ('' when the name is missing), or null for any other text. */
export function serviceCodeCommand(text: string): string | null {
  const m = SERVICE_CODE_COMMAND.exec(text.normalize('NFKC').trim());
  return m ? (m[1] ?? '').trim() : null;
}

/**
 * Decides who answers a push: a human (queued or serving), the queue (#人工),
 * or the bot. Returns the passive reply, or null to say nothing.
 */
export class ConversationRouter {
  constructor(
    private readonly bot: Bot,
    private readonly human: HumanService,
    private readonly menuActions: Record<string, string> = { KF_CHAT: texts.menuChat },
    private readonly commands: ChatCommands = {},
  ) {}

  async route(msg: InboundMessage, turn: Turn): Promise<Reply | null> {
    switch (msg.kind) {
      case 'text':
        return this.routeText(msg.content, turn);
      case 'voice':
        // Voice with WeChat's speech recognition is as good as text.
        return msg.recognition ? this.routeText(msg.recognition, turn) : this.routeNonText(turn);
      case 'image':
      case 'video':
      case 'shortvideo':
      case 'location':
      case 'link':
        return this.routeNonText(turn);
      case 'subscribe':
        return say(texts.welcome);
      case 'scan':
        return say(texts.welcomeBack);
      case 'unsubscribe':
        await this.human.onUnsubscribe(turn);
        return null;
      case 'click': {
        const action = this.menuActions[msg.key];
        return action ? say(action) : null;
      }
      default:
        // VIEW and LOCATION reports are footprints: stored, not answered.
        return null;
    }
  }

  private async routeText(text: string, turn: Turn): Promise<Reply | null> {
    const command = normaliseCommand(text);
    const withHuman = isWithHuman(turn);
    if (command === '#结束') return withHuman ? this.human.endByCustomer(turn) : say(texts.nothingToEnd);
    // Out of hours, #人工 again asks once more (the desk may have opened since).
    if (command === '#人工' && turn.conversation.status === 'message') return this.human.requestHuman(turn, 'command');
    if (withHuman) return this.human.onCustomerMessage(turn, text);
    if (turn.customer.ratingPendingConversationId != null) {
      const rated = await this.human.takeRating(turn, text);
      if (rated) return rated;
    }
    if (command === '#人工') return this.human.requestHuman(turn, 'command');
    // A regular expression, no storage: other texts reach the bot at no extra cost.
    const unitName = this.commands.serviceCode ? serviceCodeCommand(text) : null;
    if (unitName !== null) return say(await this.commands.serviceCode!(unitName, { openid: turn.customer.openid, accountId: turn.customer.accountId }));
    const answer = await this.bot.answer(text.trim(), turn);
    // A handoff's turn is kept only when something is said (it is analytics, not state).
    const out = answer.handoff ? await this.human.requestHuman(turn, 'intent') : answer.text ? say(answer.text) : null;
    return out && answer.turn ? { ...out, botTurn: answer.turn } : out;
  }

  private async routeNonText(turn: Turn): Promise<Outgoing | null> {
    return isWithHuman(turn) ? this.human.onCustomerMessage(turn, null) : say(texts.nonTextUnsupported);
  }
}

/** Queued, served, or waiting for a left message: the human side has the chat, not the bot. */
const isWithHuman = (turn: Turn): boolean => ['queued', 'assigned', 'message'].includes(turn.conversation.status);

const say = (content: string): Outgoing => ({ type: 'text', content });
