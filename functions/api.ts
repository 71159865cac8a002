// The HTTP API on Lambda behind API Gateway: the same Hono app the embedded runtime serves.
import { handle } from 'hono/aws-lambda';
import { awsServices } from '../shared/adapters/aws-services';
import { createApp } from '../shared/http/app';

export const handler = handle(createApp(await awsServices()));
