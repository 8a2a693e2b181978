/**
 * The typed inbound push: parsed XML fields in, one discriminated union out.
 * Field names follow the WeChat docs ("接收普通消息", "接收事件推送"); MsgId stays a string
 * because it can exceed 2^53 (DESIGN.md §3).
 */
import { BadRequest } from '../http/errors.js';
import type { XmlNode, XmlRecord } from './xml.js';

interface Common {
  /** The Official Account's original id (gh_…). */
  toUserName: string;
  /** The user's openid. */
  fromUserName: string;
  /** Seconds since the epoch. */
  createTime: number;
  /** The parsed fields as received, for persistence and for fields this union does not name. */
  raw: XmlRecord;
}

interface Message extends Common {
  msgId: string;
}

export interface TextMessage extends Message {
  kind: 'text';
  msgType: 'text';
  content: string;
}
export interface ImageMessage extends Message {
  kind: 'image';
  msgType: 'image';
  picUrl: string;
  mediaId: string;
}
export interface VoiceMessage extends Message {
  kind: 'voice';
  msgType: 'voice';
  mediaId: string;
  format: string;
  /** Speech recognition text, when the account has it turned on. */
  recognition?: string;
}
export interface VideoMessage extends Message {
  kind: 'video' | 'shortvideo';
  msgType: 'video' | 'shortvideo';
  mediaId: string;
  thumbMediaId: string;
}
export interface LocationMessage extends Message {
  kind: 'location';
  msgType: 'location';
  latitude: number;
  longitude: number;
  scale: number;
  label: string;
}
export interface LinkMessage extends Message {
  kind: 'link';
  msgType: 'link';
  title: string;
  description: string;
  url: string;
}

interface Event extends Common {
  msgType: 'event';
}

/** A follow. From a parametric QR code it carries the scene ("qrscene_" stripped) and the ticket. */
export interface SubscribeEvent extends Event {
  kind: 'subscribe';
  event: 'subscribe';
  scene?: string;
  ticket?: string;
}
export interface UnsubscribeEvent extends Event {
  kind: 'unsubscribe';
  event: 'unsubscribe';
}
/** A follower scanned a parametric QR code; `scene` is the EventKey as sent (no prefix). */
export interface ScanEvent extends Event {
  kind: 'scan';
  event: 'SCAN';
  scene: string;
  ticket: string;
}
/** A `click` menu button; `key` is the button's key. */
export interface ClickEvent extends Event {
  kind: 'click';
  event: 'CLICK';
  key: string;
}
/** A `view` menu button; `url` is the EventKey. */
export interface ViewEvent extends Event {
  kind: 'view';
  event: 'VIEW';
  url: string;
}
/** The periodic location report ("上报地理位置"), not the location message. */
export interface LocationReportEvent extends Event {
  kind: 'location_report';
  event: 'LOCATION';
  latitude: number;
  longitude: number;
  precision: number;
}

/** Any type or event this union does not model, or a known one missing its own fields. */
export interface UnknownInbound extends Common {
  kind: 'unknown';
  msgType: string;
  event?: string;
  msgId?: string;
}

export type InboundMessage =
  | TextMessage
  | ImageMessage
  | VoiceMessage
  | VideoMessage
  | LocationMessage
  | LinkMessage
  | SubscribeEvent
  | UnsubscribeEvent
  | ScanEvent
  | ClickEvent
  | ViewEvent
  | LocationReportEvent
  | UnknownInbound;

/**
 * The latest CreateTime accepted (2286-11-20, the last ten-digit second): WeChat sends ten
 * digits. Later ones would not even be written as a four-digit ISO year, and the database
 * refuses them, failing the statement the push shares with its neighbours.
 */
const MAX_CREATE_TIME_S = 9_999_999_999;

/** Thrown inside this module when a known type lacks a field; the message then becomes `unknown`. */
class MissingField extends Error {}

/**
 * Maps parsed push fields to an InboundMessage.
 * Missing ToUserName, FromUserName, CreateTime or MsgType => BadRequest (not a WeChat push).
 * A known type missing its own fields becomes `unknown` rather than failing the push: WeChat
 * would only retry the same body, and the user would see "该公众号暂时无法提供服务".
 */
export function toInbound(fields: XmlRecord): InboundMessage {
  const toUserName = leaf(fields, 'ToUserName');
  const fromUserName = leaf(fields, 'FromUserName');
  const createTimeText = leaf(fields, 'CreateTime');
  const msgType = leaf(fields, 'MsgType');
  if (!toUserName || !fromUserName || !createTimeText || !msgType) {
    throw new BadRequest('push lacks ToUserName, FromUserName, CreateTime or MsgType', 'wechat_bad_push');
  }
  if (!/^\d{1,12}$/.test(createTimeText)) throw new BadRequest('CreateTime is not a timestamp', 'wechat_bad_push');
  const createTime = Number(createTimeText);
  if (createTime < 1 || createTime > MAX_CREATE_TIME_S) throw new BadRequest('CreateTime is out of range', 'wechat_bad_push');
  const common: Common = { toUserName, fromUserName, createTime, raw: fields };

  try {
    return msgType === 'event' ? toEvent(common, fields) : toMessage(common, msgType, fields);
  } catch (error) {
    if (!(error instanceof MissingField)) throw error;
    return unknown(common, msgType, fields);
  }
}

function toMessage(common: Common, msgType: string, f: XmlRecord): InboundMessage {
  const message = () => ({ ...common, msgId: required(f, 'MsgId') });
  switch (msgType) {
    case 'text':
      return { ...message(), kind: 'text', msgType, content: required(f, 'Content', true) };
    case 'image':
      return { ...message(), kind: 'image', msgType, picUrl: required(f, 'PicUrl'), mediaId: required(f, 'MediaId') };
    case 'voice': {
      const recognition = leaf(f, 'Recognition');
      return {
        ...message(),
        kind: 'voice',
        msgType,
        mediaId: required(f, 'MediaId'),
        format: required(f, 'Format'),
        ...(recognition ? { recognition } : {}),
      };
    }
    case 'video':
    case 'shortvideo':
      return {
        ...message(),
        kind: msgType,
        msgType,
        mediaId: required(f, 'MediaId'),
        thumbMediaId: required(f, 'ThumbMediaId'),
      };
    case 'location':
      return {
        ...message(),
        kind: 'location',
        msgType,
        latitude: decimal(f, 'Location_X'),
        longitude: decimal(f, 'Location_Y'),
        scale: decimal(f, 'Scale'),
        label: leaf(f, 'Label') ?? '',
      };
    case 'link':
      return {
        ...message(),
        kind: 'link',
        msgType,
        title: required(f, 'Title', true),
        description: leaf(f, 'Description') ?? '',
        url: required(f, 'Url'),
      };
    default:
      return unknown(common, msgType, f);
  }
}

function toEvent(common: Common, f: XmlRecord): InboundMessage {
  const event = common.raw['Event'];
  const base = { ...common, msgType: 'event' as const };
  // WeChat documents "subscribe"/"unsubscribe" in lower case and the rest in upper case;
  // compare without case so a variant spelling is not dropped as unknown.
  switch (typeof event === 'string' ? event.toUpperCase() : undefined) {
    case 'SUBSCRIBE': {
      const key = leaf(f, 'EventKey');
      const ticket = leaf(f, 'Ticket');
      const scene = key?.startsWith('qrscene_') ? key.slice('qrscene_'.length) : undefined;
      return {
        ...base,
        kind: 'subscribe',
        event: 'subscribe',
        ...(scene !== undefined ? { scene } : {}),
        ...(ticket ? { ticket } : {}),
      };
    }
    case 'UNSUBSCRIBE':
      return { ...base, kind: 'unsubscribe', event: 'unsubscribe' };
    case 'SCAN':
      return { ...base, kind: 'scan', event: 'SCAN', scene: required(f, 'EventKey'), ticket: leaf(f, 'Ticket') ?? '' };
    case 'CLICK':
      return { ...base, kind: 'click', event: 'CLICK', key: required(f, 'EventKey') };
    case 'VIEW':
      return { ...base, kind: 'view', event: 'VIEW', url: required(f, 'EventKey') };
    case 'LOCATION':
      return {
        ...base,
        kind: 'location_report',
        event: 'LOCATION',
        latitude: decimal(f, 'Latitude'),
        longitude: decimal(f, 'Longitude'),
        precision: decimal(f, 'Precision'),
      };
    default:
      return unknown(common, 'event', f);
  }
}

function unknown(common: Common, msgType: string, f: XmlRecord): UnknownInbound {
  const event = leaf(f, 'Event');
  const msgId = leaf(f, 'MsgId');
  return {
    ...common,
    kind: 'unknown',
    msgType,
    ...(event ? { event } : {}),
    ...(msgId ? { msgId } : {}),
  };
}

/**
 * The key that identifies one push across WeChat's retries (DESIGN.md §2 step 2).
 * Messages: `msg:<FromUserName>:<MsgId>`. Events: `evt:<FromUserName>:<CreateTime>:<Event>`.
 * A MsgId is only known to be unique per sender (and anyone holding the token can sign a push),
 * so a MsgId another user already used must not return that user's reply. WeChat says to
 * dedupe events by FromUserName + CreateTime; the Event name is added because one user action can
 * yield two different events in the same second (a follow by QR code and the LOCATION report on
 * entering the chat), which must not swallow each other. Retries repeat the Event, so they still match.
 */
export function dedupeKey(msg: InboundMessage): string {
  if ('msgId' in msg && msg.msgId) return `msg:${msg.fromUserName}:${msg.msgId}`;
  const event = 'event' in msg && msg.event ? msg.event : msg.msgType;
  return `evt:${msg.fromUserName}:${msg.createTime}:${event}`;
}

function leaf(f: XmlRecord, name: string): string | undefined {
  const value: XmlNode | undefined = f[name];
  return typeof value === 'string' ? value : undefined;
}

function required(f: XmlRecord, name: string, allowEmpty = false): string {
  const value = leaf(f, name);
  if (value === undefined || (!allowEmpty && value.trim() === '')) throw new MissingField(name);
  return value;
}

function decimal(f: XmlRecord, name: string): number {
  const text = required(f, name).trim();
  // Plain decimals only: Number('') is 0 and Number('0x10') is 16, neither is a coordinate.
  if (!/^[+-]?\d+(?:\.\d+)?$/.test(text)) throw new MissingField(name);
  return Number(text);
}
