/** What the bot says, in one place (zh-CN). {{hotline}} is filled at reply time (platform/facts.ts). */
export const botTexts = {
  feedbackPrompt: '这个回答对您有帮助吗？回复“有用”或“没用”告诉我。',
  suggestIntro: '您是不是想问：',
  suggestOutro: '回复序号查看答案；都不是的话，可以换个说法再问，或回复 #人工 转人工客服。',
  cannotAnswer:
    '抱歉，这个问题我还不会回答，已记录下来，我们会尽快补充。\n您可以换个说法再问，或回复 #人工 转人工客服，也可拨打服务热线 {{hotline}}。',
  thanksForUp: '感谢您的反馈，很高兴能帮到您！还有其他问题可以随时问我。',
  sorryForListDown: '抱歉，列出的问题都不是您要问的。您可以换个说法再问，或回复 #人工 转人工客服。',
  thanksForListUp: '感谢您的反馈！回复序号可以查看对应的答案。',
  feedbackWithoutContext: '收到您的反馈，谢谢！如果还有问题，可以直接输入问题，或回复 #人工 转人工客服。',
  sorryForDown: '抱歉没能帮到您，这条反馈已记下。您可以换个说法再问，或回复 #人工 转人工客服。',
  noSuchSuggestion: '没有这个序号哦，请回复上面列出的序号，或直接输入您的问题。',
  linkLabel: '查看详情',
  thanks: '不客气，很高兴为您服务！还有其他问题随时问我。',
  goodbye: '好的，感谢您的咨询，祝您工作顺利！有问题随时找我。',
} as const;
