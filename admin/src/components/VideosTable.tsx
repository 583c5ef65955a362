import { Badge, Table, Tbody, Td, Th, Thead, Tr, Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { Video } from '../types';
import { formatDuration } from '../utils/format';

/** A channel's videolessons in their order: title, duration (h:mm:ss), quality. */
export const VideosTable = ({ videos }: { videos: Video[] }) => {
  const t = useT();
  return (
    <Table colCount={5} rowCount={videos.length + 1}>
      <Thead>
        <Tr>
          <Th>
            <Typography variant="sigma">#</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('videos.title')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('videos.duration')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('videos.quality')}</Typography>
          </Th>
          <Th>
            <Typography variant="sigma">{t('catalog.status')}</Typography>
          </Th>
        </Tr>
      </Thead>
      <Tbody>
        {videos.map((video, index) => (
          <Tr key={video.videoId} data-testid="video-row">
            <Td>
              <Typography textColor="neutral600">{(video.position ?? index) + 1}</Typography>
            </Td>
            <Td>
              <Typography textColor="neutral800">{video.title}</Typography>
            </Td>
            <Td>
              <Typography>{formatDuration(video.duration)}</Typography>
            </Td>
            <Td>
              <Typography>{video.videoQuality ?? '–'}</Typography>
            </Td>
            <Td>
              <Badge variant={video.status === 'available' ? 'success' : 'neutral'}>
                {t(`channelStatus.${video.status}`)}
              </Badge>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
