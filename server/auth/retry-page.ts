/**
 * The friendly page for a failed WeChat login (bad state, a reused or expired code, WeChat
 * unreachable): what happened in plain Chinese, and a button that starts the login again.
 */
export function retryPage(message: string, retryHref: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录未完成</title>
<style>
body{margin:0;font-family:-apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei",sans-serif;background:#f7f8fa;color:#323233}
main{max-width:420px;margin:0 auto;padding:64px 24px;text-align:center}
h1{font-size:20px;margin:0 0 12px}
p{font-size:15px;line-height:1.6;color:#646566;margin:0 0 32px}
a{display:block;padding:12px;border-radius:8px;background:#07c160;color:#fff;text-decoration:none;font-size:16px}
</style>
</head>
<body>
<main>
<h1>登录未完成</h1>
<p>${escapeHtml(message)}</p>
<a id="retry" href="${escapeHtml(retryHref)}">重新进入</a>
</main>
</body>
</html>
`;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
