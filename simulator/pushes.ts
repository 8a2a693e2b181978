import { randomBytes } from 'node:crypto';
import { toXml } from './xml.js';

/**
 * Builders for every push WeChat sends to the account's URL, as flat XML fields in
 * WeChat's order. Reference: developers.weixin.qq.com "接收普通消息" / "接收事件推送".
 * MsgId is a 64-bit decimal string (it can exceed 2^53); CreateTime is in seconds.
 */
export interface Push {
  readonly [field: string]: string;
  readonly ToUserName: string;
  readonly FromUserName: string;
  readonly CreateTime: string;
  readonly MsgType: string;
}

export type MessageType = 'text' | 'image' | 'voice' | 'video' | 'shortvideo' | 'location' | 'link';
export const USER_MESSAGE_TYPES: ReadonlySet<string> = new Set<MessageType>([
  'text',
  'image',
  'voice',
  'video',
  'shortvideo',
  'location',
  'link',
]);

export interface Scene {
  /** scene value, e.g. "123" (subscribe pushes it as EventKey "qrscene_123") */
  readonly scene: string;
  readonly ticket: string;
}

export interface PushFactoryOptions {
  /** the account's original id (gh_…), the ToUserName of every push */
  readonly accountId: string;
  /** ms clock */
  readonly now?: () => number;
  readonly newMsgId?: () => string;
}

export interface PushFactory {
  text(openid: string, content: string): Push;
  image(openid: string, picUrl: string, mediaId?: string): Push;
  voice(openid: string, mediaId?: string, recognition?: string): Push;
  video(openid: string, mediaId?: string, thumbMediaId?: string): Push;
  shortvideo(openid: string, mediaId?: string, thumbMediaId?: string): Push;
  location(openid: string, loc: { x: number; y: number; scale?: number; label?: string }): Push;
  link(openid: string, link: { title: string; description?: string; url: string }): Push;
  subscribe(openid: string, scene?: Scene): Push;
  unsubscribe(openid: string): Push;
  scan(openid: string, scene: Scene): Push;
  click(openid: string, key: string): Push;
  view(openid: string, url: string, menuId?: string): Push;
  locationEvent(openid: string, loc: { latitude: number; longitude: number; precision?: number }): Push;
}

export function createPushFactory(opts: PushFactoryOptions): PushFactory {
  const now = opts.now ?? Date.now;
  const newMsgId = opts.newMsgId ?? createMsgIdGenerator();
  const head = (openid: string, msgType: string) => ({
    ToUserName: opts.accountId,
    FromUserName: openid,
    CreateTime: String(Math.floor(now() / 1000)),
    MsgType: msgType,
  });
  const message = (openid: string, msgType: MessageType, fields: Record<string, string>): Push => ({
    ...head(openid, msgType),
    ...fields,
    MsgId: newMsgId(),
  });
  const event = (openid: string, name: string, fields: Record<string, string> = {}): Push => ({
    ...head(openid, 'event'),
    Event: name,
    ...fields,
  });
  const mediaId = () => randomBytes(24).toString('base64url');

  return {
    text: (openid, content) => message(openid, 'text', { Content: content }),
    image: (openid, picUrl, media = mediaId()) => message(openid, 'image', { PicUrl: picUrl, MediaId: media }),
    voice: (openid, media = mediaId(), recognition) =>
      message(openid, 'voice', {
        MediaId: media,
        Format: 'amr',
        ...(recognition === undefined ? {} : { Recognition: recognition }),
      }),
    video: (openid, media = mediaId(), thumb = mediaId()) =>
      message(openid, 'video', { MediaId: media, ThumbMediaId: thumb }),
    shortvideo: (openid, media = mediaId(), thumb = mediaId()) =>
      message(openid, 'shortvideo', { MediaId: media, ThumbMediaId: thumb }),
    location: (openid, loc) =>
      message(openid, 'location', {
        Location_X: String(loc.x),
        Location_Y: String(loc.y),
        Scale: String(loc.scale ?? 15),
        Label: loc.label ?? '',
      }),
    link: (openid, link) =>
      message(openid, 'link', { Title: link.title, Description: link.description ?? '', Url: link.url }),
    subscribe: (openid, scene) =>
      scene ? event(openid, 'subscribe', { EventKey: `qrscene_${scene.scene}`, Ticket: scene.ticket }) : event(openid, 'subscribe'),
    unsubscribe: (openid) => event(openid, 'unsubscribe'),
    scan: (openid, scene) => event(openid, 'SCAN', { EventKey: scene.scene, Ticket: scene.ticket }),
    click: (openid, key) => event(openid, 'CLICK', { EventKey: key }),
    view: (openid, url, menuId) => event(openid, 'VIEW', { EventKey: url, ...(menuId ? { MenuId: menuId } : {}) }),
    locationEvent: (openid, loc) =>
      event(openid, 'LOCATION', {
        Latitude: String(loc.latitude),
        Longitude: String(loc.longitude),
        Precision: String(loc.precision ?? 65),
      }),
  };
}

const TWO_POW_53 = 2n ** 53n;
const TWO_POW_63 = 2n ** 63n;

/**
 * Unique 64-bit MsgIds. Every other id is above 2^53 so that a receiver that parses
 * it as a JS number loses digits and gets caught; the others are small enough to
 * fit, as WeChat's own ids sometimes are.
 */
export function createMsgIdGenerator(): () => string {
  let counter = 0n;
  const base = randomBytes(8).readBigUInt64BE(0) % (TWO_POW_63 - TWO_POW_53 - 1_000_000_000n);
  return () => {
    counter += 1n;
    const big = TWO_POW_53 + ((base + counter) % (TWO_POW_63 - TWO_POW_53));
    return String(counter % 2n === 1n ? big : big % TWO_POW_53);
  };
}

export function pushToXml(push: Push): string {
  return toXml(push);
}

/** Is this push a user's message (which opens the 48 h window)? */
export function isUserMessage(push: Push): boolean {
  return USER_MESSAGE_TYPES.has(push.MsgType);
}

/** Is this push a menu click, follow or scan (which opens the 1 min allowance)? */
export function isInteraction(push: Push): boolean {
  return push.MsgType === 'event' && (push.Event === 'CLICK' || push.Event === 'subscribe' || push.Event === 'SCAN');
}
