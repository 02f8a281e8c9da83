package io.projector.loadtest.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class JanusEventDispatcherTest {
  private final JanusEventDispatcher dispatcher = new JanusEventDispatcher();

  @Test
  void anArrayOfEventsAnswersEachTransactionWithItsOwnEvent() throws Exception {
    CompletableFuture<JsonObject> a = dispatcher.expect("a");
    CompletableFuture<JsonObject> b = dispatcher.expect("b");
    dispatcher.dispatchPollBody("[{\"janus\":\"event\",\"transaction\":\"b\",\"sender\":2,\"n\":2},"
        + "{\"janus\":\"event\",\"transaction\":\"a\",\"sender\":1,\"n\":1}]");
    assertEquals(1, a.get().getInteger("n"));
    assertEquals(2, b.get().getInteger("n"));
    assertEquals(0, dispatcher.pendingTransactions());
  }

  @Test
  void aSingleEventObjectIsAcceptedAndKeepalivesAreSkipped() throws Exception {
    List<JsonObject> seen = new ArrayList<>();
    dispatcher.onHandle(7, seen::add);
    dispatcher.dispatchPollBody("{\"janus\":\"keepalive\",\"sender\":7}");
    dispatcher.dispatchPollBody("{\"janus\":\"webrtcup\",\"session_id\":1,\"sender\":7}");
    assertEquals(1, seen.size());
    assertEquals("webrtcup", seen.get(0).getString("janus"));
  }

  @Test
  void anEventWithTransactionAndSenderReachesBothTheWaiterAndTheHandle() throws Exception {
    List<JsonObject> seen = new ArrayList<>();
    dispatcher.onHandle(9, seen::add);
    CompletableFuture<JsonObject> waiter = dispatcher.expect("t");
    dispatcher.dispatch(new JsonObject().put("janus", "event").put("transaction", "t").put("sender", 9));
    assertTrue(waiter.isDone());
    assertEquals(1, seen.size());
  }

  @Test
  void eventsOfOtherHandlesAndUnknownTransactionsAreDropped() {
    List<JsonObject> seen = new ArrayList<>();
    dispatcher.onHandle(1, seen::add);
    CompletableFuture<JsonObject> waiter = dispatcher.expect("mine");
    dispatcher.dispatch(new JsonObject().put("janus", "event").put("transaction", "other").put("sender", 2));
    dispatcher.removeHandle(1);
    dispatcher.dispatch(new JsonObject().put("janus", "hangup").put("sender", 1));
    assertFalse(waiter.isDone());
    assertTrue(seen.isEmpty());
  }

  @Test
  void failAllFailsWaitersNowAndLater() {
    CompletableFuture<JsonObject> before = dispatcher.expect("before");
    IOException gone = new IOException("long poll failed");
    dispatcher.failAll(gone);
    CompletableFuture<JsonObject> after = dispatcher.expect("after");
    assertSame(gone, assertThrows(ExecutionException.class, before::get).getCause());
    assertSame(gone, assertThrows(ExecutionException.class, after::get).getCause());
    assertEquals(0, dispatcher.pendingTransactions());
  }

  @Test
  void aBodyThatIsNotJsonIsAnIoException() {
    IOException e = assertThrows(IOException.class, () -> dispatcher.dispatchPollBody("<html>502</html>"));
    assertTrue(e.getMessage().startsWith("Janus long poll: not JSON"), e.getMessage());
    assertThrows(IOException.class, () -> dispatcher.dispatchPollBody("[1,2]"));
  }
}
