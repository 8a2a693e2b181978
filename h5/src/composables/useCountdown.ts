import { computed, onBeforeUnmount, ref, type ComputedRef, type Ref } from 'vue';

/** The "获取验证码" button's wait: counts down once a second, then the button is usable again. */
export function useCountdown(seconds = 60): { left: Ref<number>; running: ComputedRef<boolean>; start: () => void } {
  const left = ref(0);
  let timer: ReturnType<typeof setInterval> | undefined;
  const running = computed(() => left.value > 0);

  function start(): void {
    left.value = seconds;
    clearInterval(timer);
    timer = setInterval(() => {
      left.value -= 1;
      if (left.value <= 0) clearInterval(timer);
    }, 1000);
  }

  onBeforeUnmount(() => clearInterval(timer));
  return { left, running, start };
}
