package dev.agentapi.web;

import java.io.IOException;

/** Thrown while reading a request body that grows past the configured limit. */
class PayloadTooLargeException extends IOException {

    PayloadTooLargeException(long limit) {
        super("Request body exceeds " + limit + " bytes");
    }
}
