/** The Mongoose model of message logs, on the connection chosen by `connectionName`. */
export const MESSAGE_LOG_MODEL = Symbol('MESSAGE_LOG_MODEL');
