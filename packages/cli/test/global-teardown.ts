export { globalTeardown as default } from '@usher/testkit';
