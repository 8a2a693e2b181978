import type { Bus, Handler } from '../platform/bus.js';
import type { Unsubscribe } from '../platform/module.js';

/** What the desk hub does on each event it pushes to the consoles (desk.ws.ts). */
export interface DeskHubHandlers {
  messageCreated: Handler<'message.created'>;
  messageDelivery: Handler<'message.delivery'>;
  conversationQueued: Handler<'conversation.queued'>;
  queueChanged: Handler<'queue.changed'>;
  conversationAssigned: Handler<'conversation.assigned'>;
  conversationClosed: Handler<'conversation.closed'>;
  staffSessionEnded: Handler<'staff.session.ended'>;
}

/**
 * 'message.created', 'message.delivery', 'conversation.queued', 'queue.changed',
 * 'conversation.assigned', 'conversation.closed' → frames to this instance's desk sockets;
 * 'staff.session.ended' → the sockets of that session close.
 */
export function registerDeskHubListeners(bus: Bus, on: DeskHubHandlers): Unsubscribe[] {
  return [
    bus.on('message.created', on.messageCreated),
    bus.on('message.delivery', on.messageDelivery),
    bus.on('conversation.queued', on.conversationQueued),
    bus.on('queue.changed', on.queueChanged),
    bus.on('conversation.assigned', on.conversationAssigned),
    bus.on('conversation.closed', on.conversationClosed),
    bus.on('staff.session.ended', on.staffSessionEnded),
  ];
}
