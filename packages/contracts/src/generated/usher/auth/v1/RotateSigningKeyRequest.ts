// Original file: ../../proto/usher/auth/v1/auth.proto


export interface RotateSigningKeyRequest {
}

export interface RotateSigningKeyRequest__Output {
}
