// Original file: ../../proto/usher/auth/v1/auth.proto


export interface WatchRevocationsRequest {
}

export interface WatchRevocationsRequest__Output {
}
