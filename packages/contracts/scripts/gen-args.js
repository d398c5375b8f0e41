// One list of generator flags, shared by `pnpm gen` and the typecheck freshness check.
// The proto file comes first: yargs lets the array option --includeDirs swallow what follows it.
module.exports = [
  'usher/auth/v1/auth.proto',
  'usher/users/v1/events.proto',
  '--keepCase',
  '--longs=Number',
  '--enums=String',
  '--defaults',
  '--oneofs',
  '--includeComments',
  '--grpcLib=@grpc/grpc-js',
  '--includeDirs',
  '../../proto',
];
