/** What the bot says, in one place (zh-CN). */
export const botTexts = {
  feedbackPrompt: '这个回答对您有帮助吗？回复“有用”或“没用”告诉我。',
  suggestIntro: '您是不是想问：',
  suggestOutro: '回复序号查看答案；都不是的话，可以换个说法再问，或回复 #人工 转人工客服。',
  cannotAnswer:
    '抱歉，这个问题我还不会回答，已记录下来，我们会尽快补充。\n您可以换个说法再问，或回复 #人工 转人工客服，也可拨打服务热线 400-658-6000。',
  thanksForUp: '感谢您的反馈，很高兴能帮到您！还有其他问题可以随时问我。',
  sorryForDown: '抱歉没能帮到您，这条反馈已记下。您可以换个说法再问，或回复 #人工 转人工客服。',
  noSuchSuggestion: '没有这个序号哦，请回复上面列出的序号，或直接输入您的问题。',
  linkLabel: '查看详情',
  thanks: '不客气，很高兴为您服务！还有其他问题随时问我。',
  goodbye: '好的，感谢您的咨询，祝您工作顺利！有问题随时找我。',
} as const;
