import { redactStoredAnswer } from './idempotency-redaction';

describe('what an idempotency record keeps of an answer', () => {
  const redact = { redact: ['key', 'token'] };

  it('drops the declared fields, keeps the rest in order, and names what it dropped', () => {
    expect(redactStoredAnswer('{"id":"a","key":"blk_secret","name":"n"}', redact)).toEqual({
      body: '{"id":"a","name":"n"}',
      redactedFields: ['key'],
    });
  });

  it('keeps an answer without those fields whole (a problem document, say)', () => {
    const problem = '{"code":"VALIDATION_FAILED","status":422}';
    expect(redactStoredAnswer(problem, redact)).toEqual({ body: problem, redactedFields: [] });
  });

  it('keeps nothing of a body it cannot read as a JSON object, rather than risk a secret', () => {
    expect(redactStoredAnswer('["blk_secret"]', redact)).toEqual({ body: null, redactedFields: ['key', 'token'] });
    expect(redactStoredAnswer('key=blk_secret', redact)).toEqual({ body: null, redactedFields: ['key', 'token'] });
  });

  it('leaves routes that declare nothing alone', () => {
    expect(redactStoredAnswer('{"key":"k"}', undefined)).toEqual({ body: '{"key":"k"}', redactedFields: [] });
  });
});
