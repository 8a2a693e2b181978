import type { InboundMessage } from '../wechat/inbound.js';
import type { Bot, HumanService, Outgoing, Reply, Turn } from './ports.js';
import { normaliseCommand, texts } from './texts.js';

/**
 * Decides who answers a push: a human (queued or serving), the queue (#人工),
 * or the bot. Returns the passive reply, or null to say nothing.
 */
export class ConversationRouter {
  constructor(
    private readonly bot: Bot,
    private readonly human: HumanService,
    private readonly menuActions: Record<string, string> = { KF_CHAT: texts.menuChat },
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
    const withHuman = turn.conversation.status === 'queued' || turn.conversation.status === 'assigned';
    if (command === '#结束') return withHuman ? this.human.endByCustomer(turn) : say(texts.nothingToEnd);
    if (withHuman) return this.human.onCustomerMessage(turn, text);
    if (command === '#人工') return this.human.requestHuman(turn, 'command');
    const answer = await this.bot.answer(text.trim(), turn);
    // A handoff's turn is kept only when something is said (it is analytics, not state).
    const out = answer.handoff ? await this.human.requestHuman(turn, 'intent') : answer.text ? say(answer.text) : null;
    return out && answer.turn ? { ...out, botTurn: answer.turn } : out;
  }

  private async routeNonText(turn: Turn): Promise<Outgoing | null> {
    const withHuman = turn.conversation.status === 'queued' || turn.conversation.status === 'assigned';
    return withHuman ? this.human.onCustomerMessage(turn, null) : say(texts.nonTextUnsupported);
  }
}

const say = (content: string): Outgoing => ({ type: 'text', content });
