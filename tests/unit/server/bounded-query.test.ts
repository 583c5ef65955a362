import channelSchema from '../../../server/src/content-types/channel/schema.json';
import videoSchema from '../../../server/src/content-types/video/schema.json';
import { clampedPagination, nonScalarPagination, queryBoundViolation, type Model, type ModelOf } from '../../../server/src/utils/bounded-query';

/** The plugin's own schemas, as `strapi.getModel` gives them. */
const MODELS: Record<string, Model> = {
  'plugin::osteocom.channel': channelSchema as Model,
  'plugin::osteocom.video': videoSchema as Model,
};
const modelOf: ModelOf = (uid) => MODELS[uid];
const CHANNEL = MODELS['plugin::osteocom.channel'];
const VIDEO = MODELS['plugin::osteocom.video'];

const violation = (query: Record<string, unknown>, model = CHANNEL) => queryBoundViolation(query, model, modelOf);

describe('queryBoundViolation', () => {
  it.each([
    [{ populate: 'videos' }],
    [{ populate: '*' }],
    [{ populate: 'videos,authors' }],
    [{ populate: ['videos'] }],
    [{ populate: { videos: 'true' } }],
    [{ populate: { videos: { fields: ['title'], filters: { title: { $contains: 'a' } }, sort: 'position:asc' } } }],
    [{ filters: { videos: { title: { $contains: 'a' } } } }],
    [{ filters: { $or: [{ title: { $eq: 'x' } }, { videos: { videoId: { $in: ['a', 'b'] } } }] } }],
    [{ sort: 'videos.title:desc,title' }],
    [{ sort: [{ videos: { title: 'asc' } }] }],
  ])('lets one relation through: %j', (query) => {
    expect(violation(query)).toBeUndefined();
  });

  it.each([
    [{ populate: 'videos.channel' }, 'POPULATE_NOT_ALLOWED', 'videos.channel'],
    [{ populate: ['videos', 'videos.channel'] }, 'POPULATE_NOT_ALLOWED', 'videos.channel'],
    [{ populate: { videos: { populate: '*' } } }, 'POPULATE_NOT_ALLOWED', 'videos.populate'],
    [{ populate: { videos: { on: {} } } }, 'POPULATE_NOT_ALLOWED', 'videos.on'],
    [{ populate: { 'videos.channel': true } }, 'POPULATE_NOT_ALLOWED', 'videos.channel'],
    [{ populate: { videos: { filters: { channel: { title: { $eq: 'x' } } } } } }, 'FILTER_NOT_ALLOWED', 'videos.filters.channel'],
    [{ filters: { videos: { channel: { videos: { title: { $contains: 'a' } } } } } }, 'FILTER_NOT_ALLOWED', 'videos.channel'],
    [{ filters: { $and: [{ $or: [{ videos: { channel: { title: { $null: false } } } }] }] } }, 'FILTER_NOT_ALLOWED', '$and.0.$or.0.videos.channel'],
    [{ sort: 'videos.channel.title:asc' }, 'SORT_NOT_ALLOWED', 'videos.channel.title'],
    [{ sort: { videos: { channel: { title: 'asc' } } } }, 'SORT_NOT_ALLOWED', 'videos.channel'],
  ])('refuses %j', (query, code, path) => {
    expect(violation(query)).toMatchObject({ code, path });
  });

  it("refuses the video's private channel back-link at once, in populate, filters and sort", () => {
    expect(violation({ populate: 'channel' }, VIDEO)).toMatchObject({ code: 'POPULATE_NOT_ALLOWED', path: 'channel' });
    expect(violation({ populate: { channel: true } }, VIDEO)).toMatchObject({ code: 'POPULATE_NOT_ALLOWED', path: 'channel' });
    expect(violation({ filters: { channel: { idChannel: { $eq: 'x' } } } }, VIDEO)).toMatchObject({ code: 'FILTER_NOT_ALLOWED', path: 'channel' });
    expect(violation({ sort: 'channel.title' }, VIDEO)).toMatchObject({ code: 'SORT_NOT_ALLOWED', path: 'channel.title' });
    expect(violation({ filters: { title: { $contains: 'channel' } }, sort: 'position' }, VIDEO)).toBeUndefined();
  });
});

describe('clampedPagination', () => {
  it('clamps -1 and sizes above 100, as numbers or query strings, and leaves the rest to Strapi', () => {
    expect(clampedPagination({ pageSize: '-1', page: '2' })).toEqual({ pageSize: 100, page: '2' });
    expect(clampedPagination({ limit: 100000, start: 0 })).toEqual({ limit: 100, start: 0 });
    const inRange = { pageSize: '100' };
    expect(clampedPagination(inRange)).toBe(inRange);
    expect(clampedPagination({ pageSize: 'abc' })).toEqual({ pageSize: 'abc' });
    expect(clampedPagination({ limit: 0 })).toEqual({ limit: 0 });
  });

  it('names a pagination value that is a list or an object (qs arrays would slip past the clamp)', () => {
    expect(nonScalarPagination({ pagination: { limit: ['100000'] } })).toBe('pagination.limit');
    expect(nonScalarPagination({ pagination: { pageSize: { a: '1' } } })).toBe('pagination.pageSize');
    expect(nonScalarPagination({ limit: ['100000'] })).toBe('limit');
    expect(nonScalarPagination({ pagination: ['1'] })).toBe('pagination');
    expect(nonScalarPagination({ pagination: { page: '2', pageSize: '100' }, populate: ['videos'] })).toBeUndefined();
  });
});
