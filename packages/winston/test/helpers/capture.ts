import winston from 'winston';
import TransportStream from 'winston-transport';

/** A transport that keeps the infos exactly as winston hands them to transports. */
export class Capture extends TransportStream {
  readonly infos: Record<string | symbol, unknown>[] = [];
  override log(info: Record<string | symbol, unknown>, next: () => void): void {
    this.infos.push(info);
    next();
  }
}

/** A logger with a capturing transport; returns both. */
export function captureLogger(options: winston.LoggerOptions = {}): {
  logger: winston.Logger;
  capture: Capture;
} {
  const capture = new Capture();
  const logger = winston.createLogger({ level: 'silly', ...options, transports: [capture] });
  return { logger, capture };
}
