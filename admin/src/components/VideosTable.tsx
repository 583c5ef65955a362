import { Badge, Table, Tbody, Td, Tr, Typography } from '@strapi/design-system';
import { useT } from '../hooks/useT';
import type { Video } from '../types';
import { formatDuration } from '../utils/format';
import { TableHeader } from './TableHeader';

/** A channel's videolessons in their order: title, duration (h:mm:ss), quality. */
export const VideosTable = ({ videos }: { videos: Video[] }) => {
  const t = useT();
  return (
    <Table colCount={5} rowCount={videos.length + 1}>
      <TableHeader
        columns={[
          '#',
          t('videos.title'),
          t('videos.duration'),
          t('videos.quality'),
          t('catalog.status'),
        ]}
      />
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
