import { getEncryptionStatus, rotateKeys } from '../../../shared/contracts/encryption';
import { defineController } from '../utils/controller';
import { defineRoute } from '../utils/route';
import { actorFrom } from '../utils/actor';
import { getService } from '../utils/get-service';

export default defineController(({ strapi }) => ({
  status: defineRoute(getEncryptionStatus, async () => ({ data: await getService(strapi, 'key-rotation').status() })),

  /** Starts a re-encryption pass in the background; 409 KEY_ROTATION_ALREADY_RUNNING while one runs anywhere. */
  rotate: defineRoute(rotateKeys, async ({ ctx }) => {
    const pass = await getService(strapi, 'key-rotation').start('manual');
    await getService(strapi, 'audit').record({
      action: 'key-rotation',
      outcome: 'success',
      actor: actorFrom(ctx),
      details: { newestKeyId: pass.newestKeyId },
    });
    ctx.status = 202;
    return { data: await getService(strapi, 'key-rotation').status() };
  }),
}));
