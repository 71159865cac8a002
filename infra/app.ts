// `npx cdk synth|deploy [-c stage=prod] [-c alarmEmail=…] [-c publicBaseUrl=…] [-c configFile=path.json]`
import { App } from 'aws-cdk-lib';
import { addZhuqiStacks } from './zhuqi-app';

addZhuqiStacks(new App());
