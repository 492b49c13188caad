import { requestFromEvent } from '../../../src-server/api/event';

describe('requestFromEvent', () => {
  test('takes pathInfo, parameters, body and content type from a doPost event', () => {
    const req = requestFromEvent(
      {
        pathInfo: 'api/v1/jobs',
        parameter: { key: 'k' },
        parameters: { key: ['k'], tag: ['a', 'b'] },
        postData: { contents: '{"a":1}', type: 'application/json', length: 7 },
      },
      'POST',
    );
    expect(req).toEqual({
      method: 'POST',
      pathInfo: 'api/v1/jobs',
      parameters: { key: ['k'], tag: ['a', 'b'] },
      body: '{"a":1}',
      contentType: 'application/json',
    });
  });

  test('a GET event without pathInfo or postData', () => {
    expect(requestFromEvent({ parameter: { page: '2' } }, 'GET')).toEqual({
      method: 'GET',
      pathInfo: '',
      parameters: { page: ['2'] },
      body: null,
      contentType: null,
    });
    expect(requestFromEvent(undefined, 'GET').pathInfo).toBe('');
  });
});
