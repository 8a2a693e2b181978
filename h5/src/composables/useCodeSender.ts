import { ref } from 'vue';
import { showSuccessToast, showToast } from 'vant';
import 'vant/es/toast/style/index';
import type { CodeRequest } from '../../../common/h5-api';
import { sendCode } from '../api/auth';
import { messageOf } from '../api/http';
import { useCountdown } from './useCountdown';

/** Sends an SMS / e-mail code and runs the 60 s countdown; the server's message on failure (e.g. 429). */
export function useCodeSender() {
  const { left, running, start } = useCountdown(60);
  const sending = ref(false);

  async function send(input: CodeRequest): Promise<void> {
    if (running.value || sending.value) return;
    sending.value = true;
    try {
      const result = await sendCode(input);
      start();
      if (result.simulated) showToast({ message: '验证码已发送（模拟发送：请在模拟器页面或服务日志中查看）', duration: 3000 });
      else showSuccessToast('验证码已发送');
    } catch (e) {
      showToast(messageOf(e));
    } finally {
      sending.value = false;
    }
  }

  return { left, running, sending, send };
}
