package dev.agentapi.task;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The reaper and the queue figures run on Boot's task scheduler ({@code spring.task.scheduling}). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class TaskQueueConfiguration {
}
