/** What the account says, in one place (zh-CN). */
export const texts = {
  welcome:
    '您好，欢迎关注浪潮云ERP服务！我是智能客服，7×24小时为您服务：\n' +
    '· 直接发送您的问题，例如“忘记密码怎么办”，我会从知识库中为您解答；\n' +
    '· 回复 #人工 可转接人工客服；\n' +
    '· 点击下方菜单进入“我的服务”“知识中心”“服务家园”，可提问、预约、查知识、查服务编码。',
  welcomeBack: '欢迎回来！直接发送您的问题即可，回复 #人工 可转接人工客服。',
  botCannotAnswer:
    '抱歉，这个问题我暂时还回答不了。\n回复 #人工 转接人工客服，或拨打服务热线 {{hotline}}。',
  nonTextUnsupported: '目前我只能识别文字消息，请用文字描述您的问题；回复 #人工 可转接人工客服。',
  nothingToEnd: '您当前没有进行中的人工服务。直接发送问题即可，回复 #人工 可转接人工客服。',
  menuChat: '您好，请直接发送您的问题；回复 #人工 可转接人工客服。',
  systemBusy: '系统繁忙，请稍后再试；回复 #人工 可转接人工客服，或拨打服务热线 {{hotline}}。',
} as const;

/** Normalises what a customer typed for command matching: full-width ＃, spaces. */
export function normaliseCommand(text: string): string {
  return text.replace(/＃/g, '#').replace(/\s+/g, '').toLowerCase();
}
