/**
 * The REST API: one Lambda proxy integration per route, the API-key authorizer (cached) on every non-public route,
 * request validation, stage throttling, JSON access logs without bodies, no data tracing, optional WAF.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import {
  AccessLogFormat,
  AuthorizationType,
  EndpointType,
  IdentitySource,
  JsonSchemaType,
  LambdaIntegration,
  LogGroupLogDestination,
  MethodLoggingLevel,
  type Model,
  RequestAuthorizer,
  type RequestValidator,
  RestApi,
} from 'aws-cdk-lib/aws-apigateway';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { addContractErrorResponses } from './error-responses.js';
import { ROUTES, type RouteGroup, type RouteSpec } from './routes.js';
import { ApiWaf } from './waf.js';

export interface KakuninApiProps {
  handlers: Record<RouteGroup, IFunction>;
  authorizer: IFunction;
  throttleRateLimit: number;
  throttleBurstLimit: number;
  authorizerCacheSeconds: number;
  waf: boolean;
  wafRateLimitPer5Min: number;
  wafRateLimitPerKeyPer5Min: number;
  logRetention: RetentionDays;
}

/** Stage name; the contract's paths (`/v1/...`) follow it. */
export const STAGE_NAME = 'live';

export class KakuninApi extends Construct {
  readonly api: RestApi;
  readonly routes: readonly RouteSpec[] = ROUTES;
  private readonly validator: RequestValidator;
  private readonly objectBody: Model;
  private readonly authorizer: RequestAuthorizer;

  constructor(scope: Construct, id: string, props: KakuninApiProps) {
    super(scope, id);
    const accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new RestApi(this, 'RestApi', {
      description: 'Kakunin: identities, scoped authority and signed actions for AI agents',
      endpointTypes: [EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN,
      deployOptions: {
        stageName: STAGE_NAME,
        throttlingRateLimit: props.throttleRateLimit,
        throttlingBurstLimit: props.throttleBurstLimit,
        // Standard fields only: request id, caller IP, route, status, latency. Never bodies or headers.
        accessLogDestination: new LogGroupLogDestination(accessLogs),
        accessLogFormat: AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: MethodLoggingLevel.ERROR,
        // Data tracing writes full requests (API keys, signed payloads) to CloudWatch: never.
        dataTraceEnabled: false,
        // Per-method metrics feed the per-route latency and error widgets.
        metricsEnabled: true,
        tracingEnabled: true,
      },
    });
    addContractErrorResponses(this.api);
    this.validator = this.api.addRequestValidator('Validator', {
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    this.objectBody = this.api.addModel('JsonObjectBody', {
      contentType: 'application/json',
      modelName: 'JsonObjectBody',
      // Shape only: the handlers' zod schemas check fields and answer with the contract's `field`.
      schema: { type: JsonSchemaType.OBJECT },
    });
    this.authorizer = new RequestAuthorizer(this, 'ApiKeyAuthorizer', {
      handler: props.authorizer,
      identitySources: [IdentitySource.header('Authorization')],
      resultsCacheTtl: Duration.seconds(props.authorizerCacheSeconds),
    });
    for (const route of ROUTES) this.addRoute(route, props.handlers[route.group]);

    if (props.waf) {
      new ApiWaf(this, 'Waf', {
        stageArn: this.api.deploymentStage.stageArn,
        ratePer5Minutes: props.wafRateLimitPer5Min,
        ratePerKeyPer5Minutes: props.wafRateLimitPerKeyPer5Min,
      });
    } else {
      Validations.of(this.api.deploymentStage).acknowledge({
        id: 'AwsSolutions-APIG3',
        reason: 'WAF is optional (config api.waf); API keys, stage throttling and the authorizer guard the API.',
      });
    }
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason: 'The account-level API Gateway logging role needs exactly this AWS-managed policy.',
    });
  }

  private addRoute(route: RouteSpec, handler: IFunction): void {
    const resource = this.api.root.resourceForPath(route.path);
    const withBody = route.method !== 'GET';
    const requestParameters: Record<string, boolean> = {};
    for (const name of route.query ?? []) requestParameters[`method.request.querystring.${name}`] = false;
    if (!route.public) requestParameters['method.request.header.Authorization'] = true;
    const method = resource.addMethod(route.method, new LambdaIntegration(handler, { allowTestInvoke: false }), {
      requestValidator: this.validator,
      requestParameters,
      ...(withBody ? { requestModels: { 'application/json': this.objectBody } } : {}),
      ...(route.public
        ? { authorizationType: AuthorizationType.NONE }
        : { authorizationType: AuthorizationType.CUSTOM, authorizer: this.authorizer }),
    });
    if (route.public) {
      Validations.of(method).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: 'Contract §1: health, CA chain and CRL are public so relying parties and openssl can fetch them.',
      });
    }
    Validations.of(method).acknowledge({
      id: 'AwsSolutions-COG4',
      reason: 'Callers are AI agents and services with API keys (docs/api.md §1), checked by the Lambda authorizer.',
    });
  }
}
