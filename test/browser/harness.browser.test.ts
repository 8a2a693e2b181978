import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../helpers/browser.js';

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>客服测试</title></head>
<body><h1 id="title">浪潮云ERP服务 智能客服</h1></body></html>`;

describe('the browser harness', () => {
  let server: Server;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  it('opens a local page in chromium and reads its Chinese text back', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(baseUrl);
      expect(await page.title()).toBe('客服测试');
      expect(await page.textContent('#title')).toBe('浪潮云ERP服务 智能客服');
      const box = await page.locator('#title').boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(0);
    } finally {
      await page.close();
    }
  });
});
