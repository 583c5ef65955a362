import { Button, Modal, Typography } from '@strapi/design-system';
import { useChannelVideos } from '../api/catalog';
import { useT } from '../hooks/useT';
import type { Channel } from '../types';
import { ErrorAlert } from './ErrorAlert';
import { LoadingBlock } from './LoadingBlock';
import { VideosTable } from './VideosTable';

/** The videos of one channel, loaded when the modal opens. */
export const ChannelVideosModal = ({
  channel,
  onClose,
}: {
  channel: Channel | null;
  onClose: () => void;
}) => {
  const t = useT();
  // Another channel's videos stay in `data` while this one's load: only `currentData` is this one's.
  const videos = useChannelVideos(channel?.idChannel ?? null);
  return (
    <Modal.Root open={Boolean(channel)} onOpenChange={(open: boolean) => !open && onClose()}>
      <Modal.Content>
        <Modal.Header closeLabel={t('action.close')}>
          <Modal.Title>{channel?.title}</Modal.Title>
        </Modal.Header>
        <Modal.Body>
          {videos.error ? <ErrorAlert error={videos.error} onRetry={videos.refetch} /> : null}
          {videos.isFetching ? <LoadingBlock /> : null}
          {!videos.isFetching && videos.currentData ? (
            videos.currentData.length ? (
              <VideosTable videos={videos.currentData} />
            ) : (
              <Typography textColor="neutral600">{t('videos.empty')}</Typography>
            )
          ) : null}
        </Modal.Body>
        <Modal.Footer>
          <Modal.Close>
            <Button variant="tertiary">{t('action.close')}</Button>
          </Modal.Close>
        </Modal.Footer>
      </Modal.Content>
    </Modal.Root>
  );
};
