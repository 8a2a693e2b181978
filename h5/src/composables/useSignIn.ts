import { computed, type ComputedRef } from 'vue';
import { useRoute, useRouter } from 'vue-router';
import { showSuccessToast } from 'vant';
import 'vant/es/toast/style/index';
import type { SessionInfo } from '../../../common/h5-api';
import { redirectTarget } from '../router';
import { setSession } from '../stores/session';

/**
 * The way out of 登录 and 快速注册: keep the page asked for (`?redirect=`) across the links between
 * them, and once signed in store the session and go there.
 */
export function useSignIn(): { keep: ComputedRef<{ redirect?: string }>; signedIn: (info: SessionInfo, message: string) => Promise<void> } {
  const route = useRoute();
  const router = useRouter();
  const keep = computed(() => (typeof route.query.redirect === 'string' ? { redirect: route.query.redirect } : {}));

  async function signedIn(info: SessionInfo, message: string): Promise<void> {
    setSession(info);
    showSuccessToast(message);
    await router.replace(redirectTarget(route.query.redirect));
  }

  return { keep, signedIn };
}
