import type { Core } from '@strapi/strapi';
import type controllers from '../controllers';

type Controllers = typeof controllers;
type ControllerName = keyof Controllers & string;
type Actions<Controller> = Controller extends Core.CoreAPI.Controller.Base
  ? // A core controller: typed with Strapi's generated content types only, which a plugin has not.
    Exclude<keyof Core.CoreAPI.Controller.CollectionType, keyof Core.CoreAPI.Controller.Base>
  : keyof Controller;

/** `controller.action` for each action the plugin's controllers define. */
type Handler = { [Name in ControllerName]: `${Name}.${Actions<ReturnType<Controllers[Name]>> & string}` }[ControllerName];

/**
 * A router of the plugin's own controllers: route files `satisfies` it, so a handler naming an
 * action that does not exist fails `tsc` instead of Strapi's start.
 */
export interface PluginRouter extends Omit<Core.RouterInput, 'routes'> {
  routes: (Omit<Core.RouteInput, 'handler'> & { handler: Handler })[];
}
