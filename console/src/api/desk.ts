import type {
  AgentInfo,
  AgentStatus,
  CannedReply,
  CannedReplyInput,
  ConversationDetail,
  ConversationStatus,
  ConversationSummary,
  DeskMessage,
  LeftMessage,
  LeftMessageFilter,
  Page,
  QueueItem,
} from '../../../common/desk-api';
import { request } from './http';

/** The desk API (common/desk-api.ts has the contract). */
export const listQueue = () => request<{ items: QueueItem[] }>('GET', '/api/desk/queue');
export const listMyConversations = () => request<Page<ConversationSummary>>('GET', '/api/desk/conversations', { query: { mine: 1 } });

export interface ConversationSearch {
  q?: string;
  status?: ConversationStatus | '';
  page: number;
  pageSize: number;
}
export const searchConversations = (query: ConversationSearch) => request<Page<ConversationSummary>>('GET', '/api/desk/conversations', { query: { ...query } });

export const getConversation = (id: number) => request<ConversationDetail>('GET', `/api/desk/conversations/${id}`);
export const listMessages = (id: number, after?: number | null) =>
  request<{ items: DeskMessage[] }>('GET', `/api/desk/conversations/${id}/messages`, { query: { after } });

export const acceptConversation = (id: number) => request<ConversationSummary>('POST', `/api/desk/conversations/${id}/accept`);
export const sendMessage = (id: number, text: string) => request<DeskMessage>('POST', `/api/desk/conversations/${id}/messages`, { body: { text } });
export const addNote = (id: number, text: string) => request<DeskMessage>('POST', `/api/desk/conversations/${id}/notes`, { body: { text } });
export const sendTyping = (id: number, typing: boolean) => request<void>('POST', `/api/desk/conversations/${id}/typing`, { body: { typing } });
export const transferConversation = (id: number, agent: number | string, note?: string) =>
  request<ConversationSummary>('POST', `/api/desk/conversations/${id}/transfer`, { body: note ? { agent, note } : { agent } });
/** 重发 a message whose delivery failed: back into the outbox (409 not_failed otherwise). */
export const resendMessage = (id: number, messageId: number) => request<DeskMessage>('POST', `/api/desk/conversations/${id}/messages/${messageId}/resend`);
export const closeConversation = (id: number) => request<ConversationSummary>('POST', `/api/desk/conversations/${id}/close`);

export const listAgents = () => request<{ items: AgentInfo[] }>('GET', '/api/desk/agents');
export const setMyStatus = (status: AgentStatus) => request<AgentInfo>('PUT', '/api/desk/me/status', { body: { status } });

export const listCanned = () => request<{ items: CannedReply[] }>('GET', '/api/desk/canned');
export const createCanned = (input: CannedReplyInput) => request<CannedReply>('POST', '/api/desk/canned', { body: input });
export const updateCanned = (id: number, input: CannedReplyInput) => request<CannedReply>('PUT', `/api/desk/canned/${id}`, { body: input });
export const deleteCanned = (id: number) => request<void>('DELETE', `/api/desk/canned/${id}`);

export const listLeftMessages = (status: LeftMessageFilter, page: number, pageSize: number) =>
  request<Page<LeftMessage>>('GET', '/api/desk/left-messages', { query: { status, page, pageSize } });
export const markLeftMessageDone = (id: number) => request<LeftMessage>('POST', `/api/desk/left-messages/${id}/done`);
export const replyToLeftMessage = (id: number, text: string) => request<LeftMessage>('POST', `/api/desk/left-messages/${id}/reply`, { body: { text } });
