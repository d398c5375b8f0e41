export { globalSetup as default } from '@usher/testkit';
