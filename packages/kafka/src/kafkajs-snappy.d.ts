declare module 'kafkajs-snappy' {
  import type { Codec } from 'kafkajs';
  const codec: () => ReturnType<Codec>;
  export default codec;
}
