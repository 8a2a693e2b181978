/** Lines sent this long after the last one still join the left message; then the chat closes. */
export const LEFT_MESSAGE_FOLLOW_UP_S = 600;

/** What the human service says to customers (zh-CN), in one place. */
export const deskTexts = {
  queued: (ahead: number, eta: string | null) =>
    `已为您转接人工客服。${ahead > 0 ? `您前面还有 ${ahead} 位` : '您是下一位'}${eta ? `，预计等待${eta}` : ''}，请稍候。\n回复 #结束 可取消排队。`,
  noAgentOnline: (recentWait: string | null) =>
    `（目前暂无空闲客服，有客服上线后将按顺序为您接入${recentWait ? `；近期客户平均等待${recentWait}` : ''}）`,
  stillQueued: (ahead: number, eta: string | null) =>
    `您已在人工客服队列中，${ahead > 0 ? `前面还有 ${ahead} 位` : '您是下一位'}${eta ? `，预计等待${eta}` : ''}。回复 #结束 可取消排队。`,
  positionUpdate: (ahead: number, eta: string | null) =>
    ahead > 0 ? `排队进度：您前面还有 ${ahead} 位${eta ? `，预计等待${eta}` : ''}。` : '排队进度：下一位就是您，请稍候。',
  connected: (agent: string) => `已为您接通客服 ${agent}，请问有什么可以帮您？\n回复 #结束 可结束本次服务。`,
  transferred: (agent: string) => `已为您转接至客服 ${agent}，请稍候。`,
  bindOffer: (url: string) => `\n您的微信尚未绑定账号，绑定后客服可直接查看您的单位与服务信息：${url}`,
  outOfHours: (next: string | null) =>
    `现在是非工作时间${next ? `，人工客服将于 ${next} 恢复服务` : ''}。\n您可以直接发送留言，我们会在上班后第一时间处理；回复 #结束 可取消留言。`,
  queueTimeoutOffer: '抱歉让您久等了，客服仍在忙碌中。\n回复 1 继续等待；回复 2 留言，我们会尽快回复您。',
  keepWaiting: (ahead: number) => `好的，继续为您排队${ahead > 0 ? `，您前面还有 ${ahead} 位` : ''}。`,
  leaveMessagePrompt: '好的，请直接发送您的留言（一条文字消息），我们会尽快回复您。',
  leaveMessageTextOnly: '留言请使用文字描述您的问题。',
  messageLeft: `您的留言已收到，我们会尽快处理并回复您。感谢您的耐心！\n如需补充，请在 ${LEFT_MESSAGE_FOLLOW_UP_S / 60} 分钟内直接发送。`,
  messageJoined: '已补充到您的留言中。',
  messageAlreadyHandled: '您的留言客服已在处理，我们会尽快回复您。',
  cancelled: '已为您取消人工服务。有问题可以随时发消息给我，回复 #人工 可再次转接人工客服。',
  endedByCustomer: '本次人工服务已结束，感谢您的咨询！',
  endedByAgent: '客服已结束本次服务，感谢您的咨询！',
  endedByInactivity: '由于长时间没有收到您的消息，本次人工服务已自动结束。如仍需帮助，请回复 #人工。',
  ratingAsk: '请为本次服务评分：回复 1-5，可在数字后附上意见',
  ratingThanks: (score: number) => (score >= 4 ? '感谢您的评价，我们会继续努力！' : '感谢您的评价，我们会认真改进。'),
} as const;

/** The close message and the rating request, in one message: it costs one of the five sends. */
export const withRatingAsk = (closing: string): string => `${closing}\n${deskTexts.ratingAsk}`;

/** The clear state of a held or failed agent message, shown on that message in the console. */
export const deliveryNotes: Record<string, string> = {
  held_window: '客户已超过48小时未互动',
  held_quota: '已达条数上限',
  failed: '发送失败',
};
