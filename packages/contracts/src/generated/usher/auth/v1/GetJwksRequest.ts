// Original file: ../../proto/usher/auth/v1/auth.proto


export interface GetJwksRequest {
}

export interface GetJwksRequest__Output {
}
